package io.ordinal.dashboard;

import io.ordinal.replica.ReplicaReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventDetectorTest {

    private final EventDetector detector = new EventDetector();
    private long now = 1_000_000;

    @Test
    void theFirstLookSaysWhatIsWatchedAndNothingElse() {
        List<Event> events = detector.observe(look("kv-store-0", 4, up("kv-store-0", "LEADER"), up("kv-store-1", "FOLLOWER")));
        assertThat(events).extracting(Event::kind).containsExactly("watch");
        assertThat(events.get(0).message()).contains("kv-store-0 leads term 4").contains("2 members");
    }

    @Test
    void aLeaderKilledLeavesThenAnotherIsElectedThenItRejoinsAsANewProcess() {
        detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), up("kv-store-1", "FOLLOWER"), up("kv-store-2", "FOLLOWER")));

        List<Event> gone = detector.observe(look(null, 1, down("kv-store-0"), up("kv-store-1", "FOLLOWER"), up("kv-store-2", "FOLLOWER")));
        assertThat(gone).extracting(Event::kind).containsExactly("no-leader", "left");
        assertThat(gone.get(1).pod()).isEqualTo("kv-store-0");

        List<Event> elected = detector.observe(look("kv-store-2", 2, down("kv-store-0"), up("kv-store-1", "FOLLOWER"), up("kv-store-2", "LEADER")));
        assertThat(elected).extracting(Event::kind).containsExactly("leader");
        assertThat(elected.get(0).message()).isEqualTo("kv-store-2 elected leader (term 2)");

        List<Event> back = detector.observe(look("kv-store-2", 2, restarted(up("kv-store-0", "FOLLOWER")),
                up("kv-store-1", "FOLLOWER"), up("kv-store-2", "LEADER")));
        assertThat(back).extracting(Event::kind).containsExactly("rejoined");
        assertThat(back.get(0).message()).contains("kv-store-0 rejoined as itself: a new process")
                .contains("pid 100 → 200").contains("start #2");
    }

    @Test
    void aPodThatAnswersRaftBeforeItsHttpIsUpIsToldBackOnceItReports() {
        detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), up("kv-store-1", "FOLLOWER")));
        detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), down("kv-store-1")));
        ClusterView.Replica noReportYet = withReport(up("kv-store-1", "FOLLOWER"), null);
        assertThat(detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), noReportYet))).isEmpty();

        List<Event> back = detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"),
                restarted(up("kv-store-1", "FOLLOWER"))));
        assertThat(back).extracting(Event::kind).containsExactly("rejoined");
        assertThat(back.get(0).message()).startsWith("kv-store-1 rejoined as itself: a new process (pid 101 → 200)");
    }

    @Test
    void aPodWhoseHttpAnswersBeforeItsRaftIsToldBackAsANewProcessOnlyWhenItAnswersRaft() {
        detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), up("kv-store-1", "FOLLOWER")));
        detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), down("kv-store-1")));
        // Its new process reports over HTTP while the group info still finds no Raft server.
        ClusterView.Replica reportsButNoRaft = new ClusterView.Replica("kv-store-1", "a", ClusterView.UNREACHABLE, 0, 0, null,
                restarted(up("kv-store-1", "FOLLOWER")).report());
        assertThat(detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), reportsButNoRaft))).isEmpty();

        List<Event> back = detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"),
                restarted(up("kv-store-1", "FOLLOWER"))));
        assertThat(back).extracting(Event::kind).containsExactly("rejoined");
        assertThat(back.get(0).message()).startsWith("kv-store-1 rejoined as itself: a new process");
    }

    @Test
    void aPausedLeaderThatAnswersAgainIsTheSameProcess() {
        detector.observe(look("kv-store-1", 3, up("kv-store-0", "FOLLOWER"), up("kv-store-1", "LEADER")));
        detector.observe(look("kv-store-0", 4, up("kv-store-0", "LEADER"), down("kv-store-1")));
        List<Event> back = detector.observe(look("kv-store-0", 4, up("kv-store-0", "LEADER"), up("kv-store-1", "FOLLOWER")));
        assertThat(back).extracting(Event::kind).containsExactly("rejoined");
        assertThat(back.get(0).message()).contains("the same process").contains("paused");
    }

    @Test
    void aRestartBetweenTwoLooksIsSeenFromTheNewStartTime() {
        detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), up("kv-store-1", "FOLLOWER")));
        List<Event> events = detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"),
                restarted(up("kv-store-1", "FOLLOWER"))));
        assertThat(events).extracting(Event::kind).containsExactly("restarted");
        assertThat(events.get(0).pod()).isEqualTo("kv-store-1");
    }

    @Test
    void theSameLeaderInAHigherTermWasElectedAgain() {
        detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER")));
        assertThat(detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER")))).isEmpty();
        assertThat(detector.observe(look("kv-store-0", 2, up("kv-store-0", "LEADER"))))
                .extracting(Event::message).containsExactly("kv-store-0 elected leader (term 2)");
    }

    @Test
    void aSnapshotInstalledFromTheLeaderIsAnEvent() {
        ClusterView.Replica follower = up("kv-store-1", "FOLLOWER");
        detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), follower));
        ClusterView.Replica installed = withReport(follower, report(follower.report(), follower.report().startedAt(),
                follower.report().pid(), follower.report().starts(), 1, 5000));
        List<Event> events = detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), installed));
        assertThat(events).extracting(Event::kind).containsExactly("snapshot");
        assertThat(events.get(0).message()).contains("kv-store-1 installed a snapshot").contains("5000");
    }

    @Test
    void membersAddedAndRemovedAreMembershipChanges() {
        detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), up("kv-store-1", "FOLLOWER"), up("kv-store-2", "FOLLOWER")));
        List<Event> grown = detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), up("kv-store-1", "FOLLOWER"),
                up("kv-store-2", "FOLLOWER"), up("kv-store-3", "FOLLOWER")));
        assertThat(grown).extracting(Event::message).containsExactly("kv-store-3 joined the group (membership change)");
        List<Event> shrunk = detector.observe(look("kv-store-0", 1, up("kv-store-0", "LEADER"), up("kv-store-1", "FOLLOWER"),
                up("kv-store-2", "FOLLOWER")));
        assertThat(shrunk).extracting(Event::message).containsExactly("kv-store-3 left the group (membership change)");
    }

    // --- looks at a made-up cluster

    private ClusterView look(String leader, long term, ClusterView.Replica... replicas) {
        now += 1000;
        return new ClusterView(now, leader, term, List.of(replicas));
    }

    private static ClusterView.Replica up(String id, String role) {
        int ordinal = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
        ReplicaReport report = new ReplicaReport(id, role, 1, null, 10, 10, 1_000 + ordinal, 100 + ordinal, 1, 2048, 0, 0);
        return new ClusterView.Replica(id, "127.0.0.1:" + (9870 + ordinal), role, 10, 10, 0L, report);
    }

    private static ClusterView.Replica down(String id) {
        return new ClusterView.Replica(id, "127.0.0.1:9870", ClusterView.UNREACHABLE, 0, 0, null, null);
    }

    private static ClusterView.Replica restarted(ClusterView.Replica r) {
        ReplicaReport was = r.report();
        return withReport(r, report(was, was.startedAt() + 60_000, 200, was.starts() + 1, 0, 0));
    }

    private static ClusterView.Replica withReport(ClusterView.Replica r, ReplicaReport report) {
        return new ClusterView.Replica(r.id(), r.address(), r.role(), r.commitIndex(), r.appliedIndex(), r.lag(), report);
    }

    private static ReplicaReport report(ReplicaReport was, long startedAt, long pid, long starts, long installed,
                                        long snapshotIndex) {
        return new ReplicaReport(was.id(), was.role(), was.term(), was.leader(), was.commitIndex(), was.appliedIndex(),
                startedAt, pid, starts, was.dataSizeBytes(), snapshotIndex, installed);
    }

}
