package io.ordinal.fault;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The short fault run of {@code ./mvnw verify}: each fault once against one real cluster (three
 * replica JVMs and two frontends under {@code bin/kv-local}), each step on fresh keys under six
 * clients. Every step must be linearizable (the checker's verdict is LINEARIZABLE: NOT_LINEARIZABLE
 * and UNDECIDED both fail), lose no acknowledged write, and recover; killing a follower or a frontend
 * must show clients no error beyond connections cut mid-request. In every step three more clients
 * take turns at a lock and append to a key it guards, fenced by the lock's revision: the holders'
 * appends must never interleave and no acknowledged append may be lost ({@link LockWorkload}). One
 * step keeps a lease alive while the leader is paused past its ttl: the lease must live. Partitions
 * and full disks need root (network namespaces, tmpfs): without it those steps are skipped, with the
 * reason.
 *
 * <p>The report, the picture and the history are written to {@code target/faults/short/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static FaultRun run;

    @BeforeAll
    static void startCluster() {
        long seed = Long.getLong("faults.seed", 1);
        run = FaultRun.start(Path.of("target/faults/short"), seed, FaultRun.Settings.SHORT);
    }

    @AfterAll
    static void stopClusterAndWriteReport() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void killingTheLeaderLosesNoAcknowledgedWriteAndWritesResume() {
        passes(FaultKind.KILL_LEADER);
    }

    @Test
    @Order(2)
    void killingAFollowerShowsClientsNoError() {
        passes(FaultKind.KILL_FOLLOWER);
    }

    @Test
    @Order(3)
    void killingAFrontendCutsOnlyTheConnectionsItHeld() {
        passes(FaultKind.KILL_FRONTEND);
    }

    @Test
    @Order(4)
    void pausingTheLeaderPastTheElectionTimeoutServesNoStaleReadAndAcceptsNoLostWrite() {
        passes(FaultKind.PAUSE_LEADER);
    }

    /**
     * A lease kept alive every 300 ms through the frontends must outlive a leader paused past its ttl:
     * the keepalives go to the new leader, and the old one, awake again, must not expire a lease
     * it last saw renewed a whole pause ago.
     */
    @Test
    @Order(5)
    void aLeaseKeptAliveWhileTheLeaderIsPausedPastItsTtlLivesWithItsKeys() {
        passes(FaultKind.PAUSE_LEADER_PAST_LEASE_TTL);
    }

    @Test
    @Order(6)
    void isolatingTheLeaderFromTheFollowersLosesNothing() {
        passes(FaultKind.PARTITION_LEADER);
    }

    @Test
    @Order(7)
    void isolatingAFollowerLosesNothing() {
        passes(FaultKind.PARTITION_FOLLOWER);
    }

    @Test
    @Order(8)
    void killingEveryReplicaAtOnceLosesNothingAndServiceReturns() {
        passes(FaultKind.KILL_ALL);
    }

    /** The follower's case (disk-full-follower) runs in the long run; CI time goes to the leader's, the harder one. */
    @Test
    @Order(9)
    void aLeaderWhoseDiskFillsLosesNothingAndRecoversWhenSpaceReturns() {
        passes(FaultKind.DISK_FULL_LEADER);
    }

    private static void passes(FaultKind kind) {
        StepResult step = run.step(kind);
        assumeTrue(step.ran(), () -> kind.id() + " skipped: " + step.skipped());
        assertThat(step.problems()).as(step.summary()).isEmpty();
    }
}
