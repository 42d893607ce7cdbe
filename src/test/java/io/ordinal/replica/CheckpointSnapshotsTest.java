package io.ordinal.replica;

import io.ordinal.command.Command;
import io.ordinal.command.Precondition;
import io.ordinal.storage.Entries;
import io.ordinal.storage.KvStore;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileChunkReader;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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

    /**
     * The leader sends a follower the files of its latest snapshot one after another, opening each
     * only when it gets to it; a slow follower can take longer than two more snapshots do.
     */
    @Test
    void aSnapshotBeingSentToAFollowerIsKeptUntilItsLastFileIsRead() throws Exception {
        CheckpointSnapshots snapshots = new CheckpointSnapshots();
        snapshots.init(storage);
        apply(1, 200);
        snapshots.take(store, TermIndex.valueOf(1, 200));
        SnapshotInfo sent = snapshots.getLatestSnapshot();
        List<FileInfo> files = sent.getFiles();
        assertThat(files).as("a checkpoint has several files").hasSizeGreaterThan(2);
        // The leader starts the transfer: the first file, its first chunk.
        try (FileChunkReader first = FileChunkReader.newInstance(files.get(0), files.get(0).getPath().getFileName())) {
            first.readFileChunk(16);
        }

        apply(201, 400);
        snapshots.take(store, TermIndex.valueOf(1, 400));
        apply(401, 600);
        snapshots.take(store, TermIndex.valueOf(1, 600));

        for (FileInfo file : files) {
            assertThat(file.getPath()).as("a file of the snapshot still being sent").exists();
            try (FileChunkReader reader = FileChunkReader.newInstance(file, file.getPath().getFileName())) {
                while (!reader.readFileChunk(64 * 1024).getDone()) {
                    // reads the whole file, as the leader does chunk by chunk
                }
            }
        }
    }

    @Test
    void aSupersededSnapshotIsDeletedOnceNoFileOfItWasReadForTheGracePeriod() throws Exception {
        AtomicLong now = new AtomicLong();
        CheckpointSnapshots snapshots = new CheckpointSnapshots(now::get);
        snapshots.init(storage);
        apply(1, 10);
        snapshots.take(store, TermIndex.valueOf(1, 10));
        snapshots.getLatestSnapshot().getFiles().get(0).getFileSize(); // a transfer reads it
        apply(11, 20);
        snapshots.take(store, TermIndex.valueOf(1, 20));
        apply(21, 30);
        snapshots.take(store, TermIndex.valueOf(1, 30));
        assertThat(smDir().resolve("snapshot.1_10")).as("being sent").exists();

        now.addAndGet(CheckpointSnapshots.SENDING_GRACE.toNanos());
        apply(31, 40);
        snapshots.take(store, TermIndex.valueOf(1, 40));

        assertThat(smDir().resolve("snapshot.1_10")).as("no longer read").doesNotExist();
        assertThat(smDir().resolve("snapshot.1_20")).as("never sent, not among the newest two").doesNotExist();
        assertThat(smDir().resolve("snapshot.1_30")).exists();
        assertThat(smDir().resolve("snapshot.1_40")).exists();
    }

    private void apply(long from, long to) {
        for (long i = from; i <= to; i++) {
            Entries.apply(store, i, new Command.Put(("k" + i).getBytes(StandardCharsets.UTF_8),
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
