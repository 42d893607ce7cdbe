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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>Also when they are taken: {@link #takeSnapshot} starts a checkpoint off Ratis's apply thread, and
 * an install pauses checkpoints ({@link #pause}) until it is done or has failed.
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

    /** Writes checkpoints, one at a time, off Ratis's apply thread; see {@link #takeSnapshot}. */
    private final ExecutorService checkpointer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ordinal-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private final Checkpointing checkpointing = new Checkpointing();
    /** Snapshots installed from the leader since this process started. */
    private final AtomicLong installed = new AtomicLong();

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

    /** Opens the database in {@code dbDir}, first restoring it from the latest snapshot if the snapshot is ahead of it. */
    KvStore open(Path dbDir) throws IOException {
        Checkpoints.recover(dbDir);
        Path checkpoint = latestCheckpoint();
        KvStore opened = KvStore.open(dbDir);
        if (checkpoint != null && opened.appliedIndex() < latestDataIndex()) {
            // A snapshot installed from the leader (or a wiped database): the snapshot is the truth.
            LOG.infof("restoring %s from snapshot %s", dbDir, latest.getTermIndex());
            opened.close();
            Checkpoints.restore(checkpoint, dbDir);
            opened = KvStore.open(dbDir);
        }
        return opened;
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

    /**
     * Called by Ratis on its apply thread, between applies, once {@code snapshot-every} entries were
     * applied since the last snapshot it was told of. A checkpoint flushes the memtables, which takes
     * tens to hundreds of milliseconds: done here it would hold up every apply, and with it every write
     * waiting for its answer. So this only starts a checkpoint, named after the last applied entry
     * {@code last}, on another thread, and answers the newest snapshot that is complete; Ratis purges
     * the log up to what it is answered, so it never purges past a finished checkpoint. A checkpoint
     * that finished is reported on the next call before another one is started, so snapshots stay
     * {@code snapshot-every} entries apart.
     */
    long takeSnapshot(TermIndex last, LoadedStore stores) {
        synchronized (checkpointing) {
            // Whether a checkpoint is on its way first, then the newest complete snapshot: a checkpoint
            // publishes its snapshot before it completes, so one that finished in between is seen as
            // finished here, reported, and not followed at once by another.
            boolean idle = checkpointing.running.isDone();
            SnapshotInfo newest = latest;
            long done = newest == null ? -1 : newest.getIndex();
            if (done > checkpointing.reported) {
                checkpointing.reported = done;
                return done;
            }
            if (!idle || checkpointing.paused || last == null || last.getIndex() <= Math.max(done, 0)) {
                return done;
            }
            checkpointing.running = CompletableFuture.runAsync(() -> checkpoint(last, stores), checkpointer);
            return done;
        }
    }

    private void checkpoint(TermIndex name, LoadedStore stores) {
        long started = System.nanoTime();
        Long dataIndex;
        try {
            dataIndex = stores.read(s -> {
                try {
                    return s == null ? null : take(s, name);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (RuntimeException e) {
            // Nothing is purged until a snapshot is complete; the next trigger tries again.
            LOG.errorf(e, "cannot take snapshot %s", name);
            return;
        }
        if (dataIndex != null) {
            LOG.infof("took snapshot %s (data up to index %d) in %d ms", name, dataIndex,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Waits for a checkpoint on its way, and starts no other until {@link #installed()}, or until an
     * entry past {@code resumeAbove} is applied ({@link #applied}); then runs {@code paused} holding
     * what {@link #applied} holds. Ratis calls the state machine's pause holding its server's lock, so a
     * follower about to swap in an installed snapshot answers nothing else for as long as a checkpoint
     * takes to finish (tens to hundreds of milliseconds); it is behind its leader anyway.
     */
    void pause(long resumeAbove, Runnable paused) {
        CompletableFuture<Void> running;
        synchronized (checkpointing) {
            checkpointing.paused = true;
            checkpointing.resumeAbove = resumeAbove;
            running = checkpointing.running;
        }
        try {
            running.join();
        } catch (RuntimeException e) {
            // checkpoint() reports its own failures
        }
        synchronized (checkpointing) {
            paused.run();
        }
    }

    /**
     * Entry {@code index} was applied. One past the end of the log as it was when checkpoints were
     * paused for an install means the install did not happen (after one, Ratis reloads the state
     * machine before it applies any entry), and the replica goes on from its log: so do checkpoints,
     * and {@code resumed} runs. Left paused, the log would never be purged again.
     */
    void applied(long index, Runnable resumed) {
        if (index <= checkpointing.resumeAbove) {
            return;
        }
        synchronized (checkpointing) {
            if (index <= checkpointing.resumeAbove) {
                return;
            }
            LOG.warnf("entry %d applied after an install of a snapshot that did not complete: checkpoints go on",
                    index);
            resume();
            resumed.run();
        }
    }

    /** A snapshot from the leader was installed and loaded: checkpoints go on. */
    void installed() {
        synchronized (checkpointing) {
            resume();
        }
        installed.incrementAndGet();
    }

    private void resume() {
        checkpointing.paused = false;
        checkpointing.resumeAbove = Long.MAX_VALUE;
    }

    /** How many snapshots this replica has installed from the leader since its process started. */
    long installedCount() {
        return installed.get();
    }

    /** Waits for a checkpoint on its way, and takes no more. */
    void stop() {
        pause(Long.MAX_VALUE, () -> { });
        checkpointer.shutdown();
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

    /** The snapshot in {@code dir}, whose files note when Ratis reads them (see {@link #SENDING_GRACE}). */
    private SnapshotInfo describe(Path dir) {
        TermIndex snapshot = termIndexOf(dir);
        Runnable read = () -> lastRead.put(snapshot, nanoClock.getAsLong());
        try (Stream<Path> files = Files.walk(dir)) {
            List<FileInfo> infos = new ArrayList<>();
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md5"))
                    .forEach(p -> infos.add(new SnapshotFile(p.toAbsolutePath(), read)));
            return new FileListSnapshotInfo(infos, snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The checkpoint on its way (or the last one, done), whether new ones may start, and the newest
     * snapshot index answered to Ratis. Guarded by its own monitor, not this storage's: a checkpoint
     * writes its snapshot holding that.
     */
    private static final class Checkpointing {
        CompletableFuture<Void> running = CompletableFuture.completedFuture(null);
        boolean paused;
        /** Paused ones resume once an entry past this is applied; read without the monitor, at every entry. */
        volatile long resumeAbove = Long.MAX_VALUE;
        long reported = -1;
    }
}
