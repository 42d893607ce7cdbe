package io.ordinal.replica;

import io.ordinal.storage.Checkpoints;
import io.ordinal.storage.KvStore;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Snapshots as RocksDB checkpoints, in the Raft storage's state machine directory:
 * <pre>
 *   sm/snapshot.{term}_{index}/db/…         a RocksDB checkpoint (hard links to immutable SST files)
 *   sm/snapshot.{term}_{index}/data-index   the checkpoint's own appliedIndex (see take)
 * </pre>
 * A snapshot directory is complete once it has its final name (written under a temporary name and
 * renamed). Ratis ships every file of the latest snapshot to a follower that is too far behind, into
 * a fresh directory that replaces {@code sm/} as a whole, and then asks the state machine to reload.
 */
final class CheckpointSnapshots implements StateMachineStorage {

    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    private static final String TMP = "snapshot.tmp";
    private static final int RETAINED = 2;

    private volatile Path smDir;
    private volatile SnapshotInfo latest;

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
        Files.createDirectories(smDir);
        Checkpoints.deleteRecursively(smDir.resolve(TMP));
        refresh();
    }

    /** Re-reads the directory (after Ratis installed a snapshot from the leader). */
    synchronized void refresh() throws IOException {
        latest = findLatest().map(this::describe).orElse(null);
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latest;
    }

    /** The checkpoint inside the latest snapshot, or null when there is none. */
    Path latestCheckpoint() {
        SnapshotInfo s = latest;
        return s == null ? null : dirOf(s.getTermIndex()).resolve("db");
    }

    /** The appliedIndex of the data in the latest snapshot (0 when there is none). */
    long latestDataIndex() throws IOException {
        SnapshotInfo s = latest;
        if (s == null) {
            return 0;
        }
        Path f = dirOf(s.getTermIndex()).resolve("data-index");
        return Long.parseLong(Files.readString(f, StandardCharsets.UTF_8).trim());
    }

    /**
     * Writes a snapshot of {@code store} named {@code termIndex}, the last entry applied when it was
     * asked for. Entries may go on being applied meanwhile (the checkpoint is taken off the apply
     * thread): the checkpoint then holds a few entries past its name, and its data-index says exactly
     * up to which. That is safe, because a store skips every entry at or below its applied index: a
     * replica that starts from this snapshot replays from {@code termIndex + 1} and skips what the
     * checkpoint already holds. Only one snapshot is written at a time.
     *
     * @return the checkpoint's applied index
     */
    synchronized long take(KvStore store, TermIndex termIndex) throws IOException {
        Path tmp = smDir.resolve(TMP);
        Checkpoints.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        long dataIndex = store.checkpoint(tmp.resolve("db"));
        Files.writeString(tmp.resolve("data-index"), Long.toString(dataIndex), StandardCharsets.UTF_8);
        Path dir = dirOf(termIndex);
        Checkpoints.deleteRecursively(dir);
        Files.move(tmp, dir);
        latest = describe(dir);
        deleteAllBut(RETAINED);
        return dataIndex;
    }

    @Override
    public void format() {
    }

    /**
     * Nothing to do: {@link #take} keeps the newest {@value #RETAINED} itself. (Ratis calls this on its
     * apply thread after every {@code takeSnapshot}, while a checkpoint may be being written.)
     */
    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
    }

    private void deleteAllBut(int keep) throws IOException {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            Checkpoints.deleteRecursively(all.get(i));
        }
    }

    private Path dirOf(TermIndex ti) {
        return smDir.resolve("snapshot." + ti.getTerm() + "_" + ti.getIndex());
    }

    private java.util.Optional<Path> findLatest() throws IOException {
        List<Path> all = list();
        return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(all.size() - 1));
    }

    /** Complete snapshot directories, oldest first. */
    private List<Path> list() throws IOException {
        if (!Files.isDirectory(smDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(smDir)) {
            return dirs.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.exists(p.resolve("data-index")))
                    .sorted(Comparator.comparingLong(p -> termIndexOf(p).getIndex()))
                    .toList();
        }
    }

    private static TermIndex termIndexOf(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a snapshot directory: " + dir);
        }
        return TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    private SnapshotInfo describe(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<FileInfo> infos = new ArrayList<>();
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md5"))
                    .forEach(p -> infos.add(new FileInfo(p.toAbsolutePath(), null)));
            return new FileListSnapshotInfo(infos, termIndexOf(dir));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
