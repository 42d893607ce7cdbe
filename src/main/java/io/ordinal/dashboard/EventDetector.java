package io.ordinal.dashboard;

import io.ordinal.replica.ReplicaReport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells what happened between successive looks at the cluster, by comparing them: a new leader or term,
 * a member that stopped answering or answers again, a new process behind a pod name (its start time
 * changed: the pod was restarted or re-created, on the same volume), a snapshot installed from the
 * leader, members added to or removed from the group.
 *
 * <p>What a replica says of its process is remembered per pod from the last time it answered, so a
 * restart is recognised even when the pod was unreachable in between. One detector per watching
 * period: the first look after nobody watched starts afresh rather than reporting everything that
 * changed while nobody looked.
 */
final class EventDetector {

    private Snapshot last;
    private String lastLeader;
    private long lastLeaderTerm = -1;
    private final Map<String, ReplicaReport> lastReports = new HashMap<>();
    /** Members that answer Raft again but have not reported their process yet (its HTTP starts later). */
    private final Set<String> backWithoutReport = new HashSet<>();

    List<Event> observe(Snapshot next) {
        List<Event> events = new ArrayList<>();
        long at = next.at();
        if (last == null) {
            events.add(new Event(at, "watch", next.leader(), next.leader() == null
                    ? "Watching " + members(next) + ": no leader yet (term " + next.term() + ")"
                    : "Watching " + members(next) + ": " + next.leader() + " leads term " + next.term()));
        } else {
            membership(next, events);
            leadership(next, events);
            for (Snapshot.Replica r : next.replicas()) {
                Snapshot.Replica before = find(last, r.id());
                if (before != null) {
                    reachability(at, before, r, events);
                }
            }
        }
        for (Snapshot.Replica r : next.replicas()) {
            process(at, r, events);
        }
        if (next.leader() != null) {
            lastLeader = next.leader();
            lastLeaderTerm = next.term();
        }
        last = next;
        return events;
    }

    private void membership(Snapshot next, List<Event> events) {
        Set<String> before = ids(last);
        Set<String> now = ids(next);
        for (String id : now) {
            if (!before.contains(id)) {
                events.add(new Event(next.at(), "membership", id, id + " joined the group (membership change)"));
            }
        }
        for (String id : before) {
            if (!now.contains(id)) {
                events.add(new Event(next.at(), "membership", id, id + " left the group (membership change)"));
            }
        }
    }

    private void leadership(Snapshot next, List<Event> events) {
        String leader = next.leader();
        if (leader == null) {
            if (last.leader() != null) {
                events.add(new Event(next.at(), "no-leader", last.leader(),
                        "No leader: " + last.leader() + " no longer leads; an election is under way"));
            }
            return;
        }
        if (next.term() > lastLeaderTerm && lastLeaderTerm >= 0 || !leader.equals(lastLeader)) {
            events.add(new Event(next.at(), "leader", leader, leader + " elected leader (term " + next.term() + ")"));
        } else if (last.leader() == null) {
            events.add(new Event(next.at(), "leader", leader, leader + " leads again (term " + next.term() + ")"));
        }
    }

    private void reachability(long at, Snapshot.Replica before, Snapshot.Replica now, List<Event> events) {
        if (before.reachable() && !now.reachable()) {
            if (!backWithoutReport.remove(now.id())) { // else its return was never told: nor is this
                events.add(new Event(at, "left", now.id(), now.id() + " left: it does not answer"));
            }
        } else if (!before.reachable() && now.reachable()) {
            if (now.report() == null) {
                backWithoutReport.add(now.id()); // told with its report, which tells a restart from a pause
            } else {
                events.add(rejoined(at, now, lastReports.get(now.id())));
            }
        }
    }

    private static Event rejoined(long at, Snapshot.Replica now, ReplicaReport was) {
        ReplicaReport is = now.report();
        if (was != null && was.startedAt() != is.startedAt()) {
            return new Event(at, "rejoined", now.id(), now.id() + " rejoined as itself: a new process"
                    + pids(was, is) + " on the same volume (start #" + is.starts() + "), " + now.role());
        }
        if (was != null) {
            return new Event(at, "rejoined", now.id(), now.id() + " answers again: the same process"
                    + " (it was paused, not restarted), " + now.role());
        }
        return new Event(at, "rejoined", now.id(), now.id() + " rejoined, " + now.role());
    }

    /** Returns told late, restarts seen without a gap in answers, and snapshots installed; remembers each report. */
    private void process(long at, Snapshot.Replica r, List<Event> events) {
        ReplicaReport is = r.report();
        if (is == null) {
            return;
        }
        ReplicaReport was = lastReports.put(r.id(), is);
        boolean toldAsRejoin = events.stream().anyMatch(e -> e.kind().equals("rejoined") && r.id().equals(e.pod()));
        if (r.reachable() && backWithoutReport.remove(r.id())) {
            events.add(rejoined(at, r, was));
            toldAsRejoin = true;
        }
        if (was == null) {
            return;
        }
        boolean newProcess = was.startedAt() != is.startedAt();
        if (newProcess && !toldAsRejoin) {
            events.add(new Event(at, "restarted", r.id(), r.id() + " restarted as itself: a new process"
                    + pids(was, is) + " on the same volume (start #" + is.starts() + ")"));
        }
        long installed = newProcess ? is.snapshotsInstalled() : is.snapshotsInstalled() - was.snapshotsInstalled();
        if (installed > 0) {
            events.add(new Event(at, "snapshot", r.id(), r.id() + " installed a snapshot from the leader (index "
                    + is.snapshotIndex() + ")"));
        }
    }

    private static String pids(ReplicaReport was, ReplicaReport is) {
        return was.pid() != is.pid() ? " (pid " + was.pid() + " → " + is.pid() + ")" : "";
    }

    private static String members(Snapshot s) {
        return s.replicas().size() == 1 ? "1 member" : s.replicas().size() + " members";
    }

    private static Set<String> ids(Snapshot s) {
        Set<String> ids = new LinkedHashSet<>();
        s.replicas().forEach(r -> ids.add(r.id()));
        return ids;
    }

    private static Snapshot.Replica find(Snapshot s, String id) {
        for (Snapshot.Replica r : s.replicas()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
