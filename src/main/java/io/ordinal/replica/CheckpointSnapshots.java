package io.ordinal.replica;

import io.ordinal.storage.Checkpoints;
import io.ordinal.storage.KvStore;
import io.ordinal.storage.StorageException;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Snapshots as RocksDB checkpoints, in the Raft storage's state machine directory:
 * <pre>
 *   sm/snapshot.{term}_{index}/db/…         a RocksDB checkpoint (hard links to immutable SST files)
 *   sm/snapshot.{term}_{index}/data-index   the checkpoint's own appliedIndex (see take)
 * </pre>
 * A snapshot directory is complete once it has its final name: written under a temporary name,
 * fsynced, and renamed, the rename fsynced too. A start reads each snapshot's applied index back from
 * its checkpoint, so a data-index a power loss emptied (written by a version that did not fsync it) is
 * written again; a snapshot whose checkpoint does not open is not whole and is set aside as
 * {@code snapshot.{term}_{index}.damaged}, never loaded or sent. Ratis ships every file of the latest
 * snapshot to a follower that is too far behind, into a fresh directory that replaces {@code sm/} as a
 * whole, and then asks the state machine to reload.
 */
final class CheckpointSnapshots implements StateMachineStorage {

    private static final Logger LOG = Logger.getLogger(CheckpointSnapshots.class);

    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    private static final String TMP = "snapshot.tmp";
    private static final int RETAINED = 2;
    /**
     * How long a snapshot that is no longer the newest two is kept after Ratis last read one of its
     * files. A leader sends a follower the files of its latest snapshot one after another, chunk by
     * chunk, opening each file only when it gets to it; a file deleted before then failed the transfer,
     * which started over with the newest snapshot, so a follower slower than two snapshot intervals
     * never got one. While a transfer goes on the leader reads a file's size for every chunk, and waits
     * for a chunk's turn no longer than its install-snapshot timeout (24 s by default, 3 s for each of
     * 8 outstanding chunks) before it gives up: well within this.
     */
    static final Duration SENDING_GRACE = Duration.ofMinutes(2);

    private final LongSupplier nanoClock;
    /** When Ratis last read a file of a snapshot, for those read since this process started. */
    private final Map<TermIndex, Long> lastRead = new ConcurrentHashMap<>();

    private volatile Path smDir;
    private volatile SnapshotInfo latest;
    /** The appliedIndex of the data in {@link #latest} (0 when there is none). */
    private volatile long latestDataIndex;

    CheckpointSnapshots() {
        this(System::nanoTime);
    }

    CheckpointSnapshots(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
        Files.createDirectories(smDir);
        Checkpoints.deleteRecursively(smDir.resolve(TMP));
        refresh();
    }

    /**
     * Re-reads the directory (after Ratis installed a snapshot from the leader). The snapshot found is
     * fsynced: Ratis fsyncs neither the files it receives nor its rename of {@code sm/}, and purges the
     * log up to the snapshot as it hands it over, so until then a power loss could leave neither (a
     * window this narrows to the moments before the reload, and cannot close).
     */
    synchronized void refresh() throws IOException {
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            Path dir = all.get(i);
            OptionalLong dataIndex = dataIndexOf(dir);
            if (dataIndex.isPresent()) {
                Checkpoints.fsyncTree(dir);
                Checkpoints.fsyncDirectory(smDir);
                Checkpoints.fsyncDirectory(smDir.getParent());
                latestDataIndex = dataIndex.getAsLong();
                latest = describe(dir);
                return;
            }
            Path aside = dir.resolveSibling(dir.getFileName() + ".damaged");
            LOG.errorf("snapshot %s is not whole (its checkpoint does not open): set aside as %s", dir, aside);
            Checkpoints.deleteRecursively(aside);
            Files.move(dir, aside);
        }
        latestDataIndex = 0;
        latest = null;
    }

    /**
     * The applied index of the checkpoint in {@code dir}, read from the checkpoint itself, or empty
     * when the checkpoint does not open. The data-index file beside it says the same and is what a
     * follower that installs the snapshot reads first; written again when it does not say it.
     */
    private static OptionalLong dataIndexOf(Path dir) throws IOException {
        long applied;
        try {
            applied = KvStore.appliedIndexIn(dir.resolve("db"));
        } catch (StorageException e) {
            return OptionalLong.empty();
        }
        Path file = dir.resolve("data-index");
        String written = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
        if (!written.equals(Long.toString(applied))) {
            LOG.warnf("snapshot %s: data-index said '%s', its checkpoint %d; written again", dir, written, applied);
            Checkpoints.writeDurably(file, Long.toString(applied));
        }
        return OptionalLong.of(applied);
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
    long latestDataIndex() {
        return latestDataIndex;
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
        Checkpoints.writeDurably(tmp.resolve("data-index"), Long.toString(dataIndex));
        Path dir = dirOf(termIndex);
        Checkpoints.deleteRecursively(dir);
        Checkpoints.moveDurably(tmp, dir);
        latestDataIndex = dataIndex;
        latest = describe(dir);
        deleteSuperseded();
        return dataIndex;
    }

    @Override
    public void format() {
    }

    /**
     * Nothing to do: {@link #take} keeps the newest {@value #RETAINED}, and those being sent, itself.
     * (Ratis calls this on its apply thread after every {@code takeSnapshot}, while a checkpoint may be
     * being written.)
     */
    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
    }

    /** Deletes the snapshots older than the newest {@value #RETAINED}, unless one may be being sent. */
    private void deleteSuperseded() throws IOException {
        List<Path> all = list();
        long now = nanoClock.getAsLong();
        for (int i = 0; i < all.size() - RETAINED; i++) {
            TermIndex snapshot = termIndexOf(all.get(i));
            Long read = lastRead.get(snapshot);
            if (read != null && now - read < SENDING_GRACE.toNanos()) {
                continue;
            }
            lastRead.remove(snapshot);
            Checkpoints.deleteRecursively(all.get(i));
        }
    }

    private Path dirOf(TermIndex ti) {
        return smDir.resolve("snapshot." + ti.getTerm() + "_" + ti.getIndex());
    }

    /** Complete snapshot directories, oldest first. */
    private List<Path> list() throws IOException {
        if (!Files.isDirectory(smDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(smDir)) {
            return dirs.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
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
                    .forEach(p -> infos.add(new SnapshotFile(p.toAbsolutePath(), termIndexOf(dir))));
            return new FileListSnapshotInfo(infos, termIndexOf(dir));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A file of a snapshot, that notes when Ratis reads it (see {@link #SENDING_GRACE}). */
    private final class SnapshotFile extends FileInfo {
        private final TermIndex snapshot;

        SnapshotFile(Path path, TermIndex snapshot) {
            super(path, null);
            this.snapshot = snapshot;
        }

        @Override
        public Path getPath() {
            lastRead.put(snapshot, nanoClock.getAsLong());
            return super.getPath();
        }

        @Override
        public long getFileSize() {
            lastRead.put(snapshot, nanoClock.getAsLong());
            return super.getFileSize();
        }
    }
}
