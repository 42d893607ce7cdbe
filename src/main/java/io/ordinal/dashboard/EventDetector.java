package io.ordinal.dashboard;

import io.ordinal.replica.ReplicaReport;

import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>Each pod's last told state is kept — whether it was last told as answering, and the process it
 * was answering with — so that a pod that comes back is compared with the process that left, whatever
 * was seen in between: its HTTP may answer before its Raft server does, or after. A pod is told back
 * only once it reports its process, which is what tells a restart from a pause. One detector per
 * watching period: the first look after nobody watched starts afresh rather than reporting everything
 * that changed while nobody looked.
 */
final class EventDetector {

    /** What the page was last told about a pod. */
    private static final class Told {
        boolean up;
        /** The process it answered with when last told up (null until it reported one). */
        ReplicaReport process;
    }

    private ClusterView last;
    private String lastLeader;
    private long lastLeaderTerm = -1;
    private final Map<String, Told> pods = new HashMap<>();

    List<Event> observe(ClusterView next) {
        List<Event> events = new ArrayList<>();
        if (last == null) {
            events.add(new Event(next.at(), "watch", next.leader(), next.leader() == null
                    ? "Watching " + members(next) + ": no leader yet (term " + next.term() + ")"
                    : "Watching " + members(next) + ": " + next.leader() + " leads term " + next.term()));
        } else {
            membership(next, events);
            leadership(next, events);
        }
        for (ClusterView.Replica r : next.replicas()) {
            pod(next.at(), r, events);
        }
        if (next.leader() != null) {
            lastLeader = next.leader();
            lastLeaderTerm = next.term();
        }
        last = next;
        return events;
    }

    private void membership(ClusterView next, List<Event> events) {
        Set<String> before = ids(last);
        Set<String> now = ids(next);
        for (String id : now) {
            if (!before.contains(id)) {
                events.add(new Event(next.at(), "membership", id, id + " joined the group (membership change)"));
            }
        }
        for (String id : before) {
            if (!now.contains(id)) {
                pods.remove(id);
                events.add(new Event(next.at(), "membership", id, id + " left the group (membership change)"));
            }
        }
    }

    private void leadership(ClusterView next, List<Event> events) {
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

    /** A pod that left, came back (as a new process or the same one), restarted unseen, or installed a snapshot. */
    private void pod(long at, ClusterView.Replica r, List<Event> events) {
        Told told = pods.get(r.id());
        ReplicaReport is = r.report();
        if (told == null) {
            told = new Told();
            told.up = r.reachable();
            told.process = is;
            pods.put(r.id(), told);
            return;
        }
        if (told.up && !r.reachable()) {
            told.up = false;
            events.add(new Event(at, "left", r.id(), r.id() + " left: it does not answer"));
            return;
        }
        if (!r.reachable() || is == null) {
            return; // still away, or back but not reporting yet: told once it reports
        }
        ReplicaReport was = told.process;
        boolean newProcess = was != null && was.startedAt() != is.startedAt();
        if (!told.up) {
            events.add(rejoined(at, r, was, newProcess));
        } else if (newProcess) {
            events.add(new Event(at, "restarted", r.id(), r.id() + " restarted as itself: a new process"
                    + pids(was, is) + " on the same volume (start #" + is.starts() + ")"));
        }
        long installed = was == null ? 0 : newProcess ? is.snapshotsInstalled() : is.snapshotsInstalled() - was.snapshotsInstalled();
        if (installed > 0) {
            events.add(new Event(at, "snapshot", r.id(), r.id() + " installed a snapshot from the leader (index "
                    + is.snapshotIndex() + ")"));
        }
        told.up = true;
        told.process = is;
    }

    private static Event rejoined(long at, ClusterView.Replica now, ReplicaReport was, boolean newProcess) {
        ReplicaReport is = now.report();
        if (newProcess) {
            return new Event(at, "rejoined", now.id(), now.id() + " rejoined as itself: a new process"
                    + pids(was, is) + " on the same volume (start #" + is.starts() + "), " + now.role());
        }
        if (was != null) {
            return new Event(at, "rejoined", now.id(), now.id() + " answers again: the same process"
                    + " (it was paused, not restarted), " + now.role());
        }
        return new Event(at, "rejoined", now.id(), now.id() + " rejoined, " + now.role());
    }

    private static String pids(ReplicaReport was, ReplicaReport is) {
        return was.pid() != is.pid() ? " (pid " + was.pid() + " → " + is.pid() + ")" : "";
    }

    private static String members(ClusterView s) {
        return s.replicas().size() == 1 ? "1 member" : s.replicas().size() + " members";
    }

    private static Set<String> ids(ClusterView s) {
        Set<String> ids = new LinkedHashSet<>();
        s.replicas().forEach(r -> ids.add(r.id()));
        return ids;
    }
}
