package io.ordinal.replica;

import io.ordinal.command.Query;
import io.ordinal.command.QueryFormat;
import io.ordinal.command.ResultFormat;
import io.ordinal.command.StoreStatus;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static io.ordinal.replica.StateMachineFixture.applyPut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Taking snapshots, and pausing them while Ratis installs one from the leader: Ratis calls
 * {@code pause()}, moves the installed files in, and only if that worked, {@code reinitialize()}.
 */
class KvStateMachineSnapshotsTest {

    private static final Duration A_CHECKPOINT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private RaftStorage storage;
    private KvStateMachine sm;

    @BeforeEach
    void start() throws Exception {
        storage = StateMachineFixture.raftStorage(dir.resolve("raft"));
        sm = started();
    }

    @AfterEach
    void stop() throws Exception {
        sm.close();
        storage.close();
    }

    private KvStateMachine started() throws Exception {
        KvStateMachine machine = new KvStateMachine(dir.resolve("db"));
        machine.initialize(StateMachineFixture.server("s0"), RaftGroupId.randomId(), storage);
        return machine;
    }

    @Test
    void aSnapshotIsTakenOffTheApplyThreadAndReportedOnceComplete() {
        applyPuts(1, 20);
        awaitSnapshotAt(20);
    }

    /** Ratis calls nothing when moving the installed files in fails; the leader then tries again. */
    @Test
    void anInstallThatFailedAfterPauseDoesNotRefuseTheNextAttempt() {
        applyPuts(1, 5);
        sm.pause(); // ... and the move of the installed snapshot into place throws

        sm.pause(); // the leader's next attempt

        assertThat(sm.getLifeCycleState()).isEqualTo(LifeCycle.State.PAUSED);
    }

    @Test
    void checkpointsResumeOnceEntriesPastAFailedInstallAreApplied() {
        applyPuts(1, 5);
        sm.pause(); // ... and the install fails; a new leader sends entries instead

        applyPuts(6, 8);

        awaitSnapshotAt(8);
        assertThat(sm.getLifeCycleState()).isEqualTo(LifeCycle.State.RUNNING);
    }

    @Test
    void checkpointsStayPausedUntilTheInstalledSnapshotIsLoaded() throws Exception {
        applyPuts(1, 5);
        sm.pause();
        assertThat(sm.takeSnapshot()).as("no checkpoint starts while paused").isEqualTo(-1);

        sm.reinitialize(); // the installed directory (here the unchanged one) is loaded
        applyPuts(6, 7);

        awaitSnapshotAt(7);
        assertThat(sm.getLifeCycleState()).isEqualTo(LifeCycle.State.RUNNING);
    }

    @Test
    void pauseWaitsForACheckpointOnItsWay() throws Exception {
        applyPuts(1, 10);
        AtomicReference<SnapshotInfo> seenOncePaused = new AtomicReference<>();
        Thread installer = new Thread(() -> {
            sm.pause();
            seenOncePaused.set(sm.getLatestSnapshot());
        });
        // A checkpoint writes its snapshot holding the storage's monitor: holding it here keeps the
        // checkpoint on its way until the installer is seen waiting in pause().
        synchronized (sm.getStateMachineStorage()) {
            assertThat(sm.takeSnapshot()).isEqualTo(-1);
            installer.start();
            await().atMost(A_CHECKPOINT).until(() -> installer.getState() == Thread.State.WAITING
                    || installer.getState() == Thread.State.TERMINATED);
        }
        installer.join(A_CHECKPOINT.toMillis());

        assertThat(installer.isAlive()).isFalse();
        assertThat(seenOncePaused.get()).as("the checkpoint on its way, complete when pause() returned").isNotNull();
        assertThat(seenOncePaused.get().getIndex()).isEqualTo(10);
    }

    @Test
    void aStartAfterAPowerLossThatEmptiedADataIndexLoadsTheSnapshot() throws Exception {
        applyPuts(1, 12);
        awaitSnapshotAt(12);
        sm.close();
        Path dataIndex;
        try (var dirs = Files.list(storage.getStorageDir().getStateMachineDir().toPath())) {
            dataIndex = dirs.filter(p -> p.getFileName().toString().equals("snapshot.1_12")).findFirst()
                    .orElseThrow().resolve("data-index");
        }
        Files.write(dataIndex, new byte[0]);

        sm = started();

        assertThat(sm.snapshotIndex()).isEqualTo(12);
        // Twelve puts, one revision each: the store holds every entry up to 12.
        assertThat(storeStatus().revision()).isEqualTo(12);
    }

    private StoreStatus storeStatus() {
        Message answer = sm.query(Message.valueOf(ByteString.copyFrom(QueryFormat.encode(new Query.Status())))).join();
        return ResultFormat.decodeStoreStatus(answer.getContent().asReadOnlyByteBuffer());
    }

    private void applyPuts(long from, long to) {
        for (long i = from; i <= to; i++) {
            applyPut(sm, i, "k" + i);
        }
    }

    /** Asks for a snapshot, as Ratis's apply thread does, until one at {@code index} is reported. */
    private void awaitSnapshotAt(long index) {
        await().atMost(A_CHECKPOINT).until(() -> sm.takeSnapshot() == index);
    }
}
