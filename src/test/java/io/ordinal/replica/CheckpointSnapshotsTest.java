package io.ordinal.replica;

import io.ordinal.command.Command;
import io.ordinal.command.Precondition;
import io.ordinal.storage.KvStore;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The snapshot directory as Ratis and a restarting replica see it. */
class CheckpointSnapshotsTest {

    @TempDir
    Path dir;

    private RaftStorage storage;
    private KvStore store;

    @BeforeEach
    void open() throws Exception {
        storage = StateMachineFixture.raftStorage(dir.resolve("raft"));
        store = KvStore.open(dir.resolve("db"));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        storage.close();
    }

    private void apply(long from, long to) {
        for (long i = from; i <= to; i++) {
            store.apply(i, new Command.Put(("k" + i).getBytes(StandardCharsets.UTF_8),
                    "v".repeat(100).getBytes(StandardCharsets.UTF_8), Precondition.NONE, 0));
        }
    }

    @Test
    void anEmptyDataIndexLeftByAPowerLossIsReadBackFromItsCheckpoint() throws Exception {
        CheckpointSnapshots snapshots = new CheckpointSnapshots();
        snapshots.init(storage);
        apply(1, 50);
        long dataIndex = snapshots.take(store, TermIndex.valueOf(1, 50));
        Path snapshotDir = smDir().resolve("snapshot.1_50");
        Files.write(snapshotDir.resolve("data-index"), new byte[0]); // the write never reached the disk

        CheckpointSnapshots restarted = new CheckpointSnapshots();
        restarted.init(storage);

        assertThat(restarted.getLatestSnapshot().getTermIndex()).isEqualTo(TermIndex.valueOf(1, 50));
        assertThat(restarted.latestDataIndex()).isEqualTo(dataIndex);
    }

    @Test
    void aHalfWrittenSnapshotIsIgnoredAndTheOneBeforeItIsTheLatest() throws Exception {
        CheckpointSnapshots snapshots = new CheckpointSnapshots();
        snapshots.init(storage);
        apply(1, 50);
        long dataIndex = snapshots.take(store, TermIndex.valueOf(1, 50));
        // A newer snapshot directory whose checkpoint and data-index never reached the disk whole.
        Path broken = smDir().resolve("snapshot.1_90");
        Files.createDirectories(broken.resolve("db"));
        Files.write(broken.resolve("db").resolve("CURRENT"), new byte[0]);
        Files.writeString(broken.resolve("data-index"), "8", StandardCharsets.UTF_8);

        CheckpointSnapshots restarted = new CheckpointSnapshots();
        restarted.init(storage);

        assertThat(restarted.getLatestSnapshot().getTermIndex()).isEqualTo(TermIndex.valueOf(1, 50));
        assertThat(restarted.latestDataIndex()).isEqualTo(dataIndex);
    }

    private Path smDir() {
        return storage.getStorageDir().getStateMachineDir().toPath();
    }
}
