package io.ordinal.fault;

import io.ordinal.drill.ClusterProbe;
import io.ordinal.drill.HostCommand;
import io.ordinal.drill.KvLocalPods;
import io.ordinal.drill.Partition;
import io.ordinal.drill.Pod;
import io.ordinal.drill.Poll;
import io.ordinal.drill.ReplicaView;
import io.ordinal.drill.Signals;
import io.ordinal.process.KvLocal;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/**
 * A three-replica cluster of real JVMs run by {@code bin/kv-local} on private ports and in a private
 * home, with what the nemesis needs to break it: the pods' pids (SIGKILL, SIGSTOP), each replica in a
 * network namespace of its own ({@code KV_NETNS=1}) so that links between replicas can be cut, and
 * each replica's data directory on a small tmpfs of its own so that its disk can be filled.
 *
 * <p>Namespaces and tmpfs need root (and iproute2); {@link #whyNoNetworkNamespaces()} and
 * {@link #whyNoSmallDisks(Path)} say why they cannot be had, and the faults that need them are then
 * skipped with that reason.
 */
final class LocalCluster implements AutoCloseable {

    static final String BALLAST = "ballast";

    private final KvLocal kvLocal;
    private final KvLocalPods kvLocalPods;
    /** Made once the cluster is up: a secure cluster's CA and root token exist only from then on. */
    private ClusterProbe probe;
    private final Path home;
    private final int frontends;
    private final boolean netns;
    private final List<Path> smallDisks = new ArrayList<>();
    private final Partition partition = new Partition();
    private final Set<Long> stopped = new LinkedHashSet<>();

    private LocalCluster(KvLocal kvLocal, Path home, int frontends, boolean netns) {
        this.kvLocal = kvLocal;
        this.kvLocalPods = KvLocalPods.checkout(Path.of("").toAbsolutePath(), kvLocal.env(), Duration.ofSeconds(240),
                Integer.MAX_VALUE);
        this.home = home;
        this.frontends = frontends;
        this.netns = netns;
    }

    /**
     * Starts a fresh cluster in {@code home} (removing what an earlier run left there).
     *
     * @param diskBytes each replica's data directory on a tmpfs of this size, or 0 for none
     * @param secure    {@code bin/kv-local up --secure}: TLS, tokens and roles on (the harness uses the root token)
     */
    static LocalCluster start(Path home, int frontends, boolean netns, long diskBytes, String javaOpts, boolean secure) {
        home = home.toAbsolutePath();
        Map<String, String> env = new HashMap<>();
        if (netns) {
            env.put("KV_NETNS", "1");
        }
        if (javaOpts != null) {
            env.put("KV_JAVA_OPTS", javaOpts);
        }
        KvLocal kvLocal = new KvLocal(home, frontends, env, secure);
        // Whatever an earlier, interrupted run left in this home: its pods, namespaces and mounts.
        kvLocal.run("down");
        unmountUnder(home);
        deleteTree(home);
        LocalCluster cluster = new LocalCluster(kvLocal, home, frontends, netns);
        boolean started = false;
        try {
            if (diskBytes > 0) {
                for (int i = 0; i < 3; i++) {
                    Path dir = home.resolve("kv-store-" + i);
                    Files.createDirectories(dir);
                    HostCommand.must("mount", "-t", "tmpfs", "-o", "size=" + diskBytes, "tmpfs", dir.toString());
                    cluster.smallDisks.add(dir);
                }
            }
            kvLocal.up();
            cluster.probe = new ClusterProbe(Duration.ofSeconds(1), kvLocal.access());
            started = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!started) {
                cluster.close();
            }
        }
        return cluster;
    }

    /** Why replicas cannot run in network namespaces here, if they cannot. */
    static Optional<String> whyNoNetworkNamespaces() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("network namespaces are Linux only");
        }
        if (!"0".equals(HostCommand.run("id", "-u").output())) {
            return Optional.of("network namespaces need root");
        }
        if (!HostCommand.run("ip", "-V").ok()) {
            return Optional.of("the ip command (iproute2) is missing: apt-get install iproute2");
        }
        if (!HostCommand.run("nsenter", "--version").ok()) {
            return Optional.of("nsenter (util-linux) is missing");
        }
        String probe = "kvl-probe-" + ProcessHandle.current().pid();
        HostCommand.Result add = HostCommand.run("ip", "netns", "add", probe);
        if (!add.ok()) {
            return Optional.of("cannot create a network namespace: " + add.output());
        }
        HostCommand.Result veth = HostCommand.run("ip", "link", "add", "kvlprobe" + ProcessHandle.current().pid() % 10000,
                "type", "veth", "peer", "name", "eth0", "netns", probe);
        HostCommand.run("ip", "netns", "del", probe);
        if (!veth.ok()) {
            return Optional.of("cannot create a veth pair: " + veth.output());
        }
        HostCommand.Result bridge = HostCommand.run("ip", "link", "add", "kvlprobebr", "type", "bridge");
        HostCommand.run("ip", "link", "del", "kvlprobebr");
        if (!bridge.ok()) {
            return Optional.of("cannot create a bridge: " + bridge.output());
        }
        return Optional.empty();
    }

    /** Why a small tmpfs cannot be mounted here (for a replica whose disk fills up), if it cannot. */
    static Optional<String> whyNoSmallDisks(Path scratch) {
        try {
            Path dir = Files.createDirectories(scratch.toAbsolutePath().resolve("tmpfs-probe"));
            HostCommand.Result mount = HostCommand.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString());
            if (!mount.ok()) {
                return Optional.of("cannot mount a tmpfs (needs root and CAP_SYS_ADMIN): " + mount.output());
            }
            HostCommand.run("umount", dir.toString());
            Files.deleteIfExists(dir);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot prepare a mount point: " + e.getMessage());
        }
    }

    boolean networkNamespaces() {
        return netns;
    }

    boolean smallDisks() {
        return !smallDisks.isEmpty();
    }

    Path home() {
        return home;
    }

    List<URI> frontendEndpoints() {
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < frontends; i++) {
            uris.add(URI.create(kvLocal.endpoint(i)));
        }
        return uris;
    }

    /** The CA and root token of a secure cluster, read once {@code up --secure} made them. */
    io.ordinal.local.ClusterAccess access() {
        return kvLocal.access();
    }

    List<Pod> pods() {
        return kvLocalPods.pods();
    }

    List<Pod> replicas() {
        return pods().stream().filter(Pod::isReplica).toList();
    }

    Pod pod(String name) {
        return kvLocalPods.pod(name).orElseThrow(() -> new IllegalStateException("no pod " + name));
    }

    /** A replica's own view, or empty if it does not answer within a second. */
    Optional<ReplicaView> view(Pod replica) {
        return probe.view(replica);
    }

    Pod awaitLeader(Duration timeout) {
        return Poll.until(timeout, Duration.ofMillis(200), () -> probe.leader(replicas()))
                .orElseThrow(() -> new IllegalStateException("no leader within " + timeout + ": " + describe()));
    }

    List<Pod> followers(Pod leader) {
        return replicas().stream().filter(p -> !p.name().equals(leader.name())).toList();
    }

    // --- faults -------------------------------------------------------------------------------

    /** SIGKILL, like {@code kubectl delete pod --grace-period=0 --force}; kv-local starts it again. */
    void kill(Pod pod) {
        Signals.kill(pod);
    }

    void killAll(List<Pod> pods) {
        pods.forEach(this::kill);
    }

    void pause(Pod pod) {
        Signals.stop(pod.pid());
        stopped.add(pod.pid());
    }

    void resume(Pod pod) {
        Signals.resume(pod.pid());
        stopped.remove(pod.pid());
    }

    /** Cuts {@code pod} off from every other replica ({@link Partition}). */
    void isolate(Pod pod) {
        requireNetns();
        partition.isolate(pod, replicas());
    }

    /** Removes every cut. */
    void heal() {
        partition.heal();
    }

    /** Fills the tmpfs under the replica's data directory with a ballast file, to the last byte. */
    long fillDisk(Pod replica) {
        Path ballast = diskOf(replica).resolve(BALLAST);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        long written = 0;
        try (FileChannel ch = FileChannel.open(ballast, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (true) {
                chunk.clear();
                written += ch.write(chunk);
            }
        } catch (IOException full) {
            // ENOSPC: the disk is full; now fill the last partial block too
            try (FileChannel ch = FileChannel.open(ballast, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer one = ByteBuffer.allocate(4096);
                while (ch.write(one) > 0) {
                    written += one.position();
                    one.clear();
                }
            } catch (IOException full2) {
                // full to the byte
            }
        }
        return written;
    }

    /** Each replica's free space on its small disk, for notes: {@code kv-store-0 301 MiB, …}. */
    String freeSpace() {
        StringBuilder b = new StringBuilder();
        for (Path disk : smallDisks) {
            try {
                b.append(b.length() == 0 ? "" : ", ").append(disk.getFileName()).append(' ')
                        .append(Files.getFileStore(disk).getUsableSpace() >> 20).append(" MiB");
            } catch (IOException e) {
                b.append(disk.getFileName()).append(" ?");
            }
        }
        return b.toString();
    }

    void freeDisk(Pod replica) {
        try {
            Files.deleteIfExists(diskOf(replica).resolve(BALLAST));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Empties a replica's data directory while its pod runs (or crash-loops): the next JVM kv-local
     * starts finds a fresh disk, as after a replaced PersistentVolume, and rejoins the group.
     */
    void wipe(Pod replica) {
        Path dir = replica.dataDir();
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Pod now = pod(replica.name());
        if (now.pid() > 0) {
            kill(now);
        }
    }

    /** The last line of the pod's log that contains {@code marker}, or "". */
    String lastLogLine(Pod pod, String marker) {
        try {
            List<String> lines = Files.readAllLines(home.resolve("logs").resolve(pod.name() + ".log"), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains(marker)) {
                    return lines.get(i).strip();
                }
            }
        } catch (IOException e) {
            // no log
        }
        return "";
    }

    private Path diskOf(Pod replica) {
        if (smallDisks.isEmpty()) {
            throw new IllegalStateException("this cluster has no small disks");
        }
        return replica.dataDir();
    }

    private void requireNetns() {
        if (!netns) {
            throw new IllegalStateException("this cluster does not run its replicas in network namespaces");
        }
    }

    // --- health -------------------------------------------------------------------------------

    /**
     * Waits until every pod runs and is ready, the replicas agree on one leader, and (with no writes
     * in flight) every replica has applied what the leader committed.
     *
     * @return empty when healthy, else what was still wrong at the timeout
     */
    Optional<String> awaitHealthy(Duration timeout) {
        long[] committed = {0};
        String[] problem = {null};
        return within(timeout, Duration.ofMillis(300), () -> (problem[0] = healthProblem(committed)) == null)
                ? Optional.empty() : Optional.of(problem[0]);
    }

    /**
     * Whether {@code condition} holds within {@code timeout}, looked at first at once and then every
     * {@code every}, in the calling thread (conditions here may keep state from one look to the next).
     */
    static boolean within(Duration timeout, Duration every, Callable<Boolean> condition) {
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(every).pollInSameThread().until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * @param committed in: the leader's commit index at the previous look (0 at the first); out: at
     *     this one. Every replica must have applied what was committed at the previous look: the
     *     frontends' readiness checks are linearizable reads, each a barrier entry in the log, so the
     *     commit index moves even with no client writing, and a follower learns of the latest commit
     *     only with the leader's next heartbeat.
     */
    private String healthProblem(long[] committed) {
        List<Pod> pods = pods();
        for (Pod p : pods) {
            if (p.pid() <= 0 || !p.ready()) {
                return p.name() + " is not running and ready (pid " + p.pid() + ", ready " + p.ready() + ")";
            }
        }
        List<ReplicaView> views = new ArrayList<>();
        for (Pod p : pods) {
            if (p.isReplica()) {
                Optional<ReplicaView> v = view(p);
                if (v.isEmpty()) {
                    return p.name() + " does not answer /v1/replica";
                }
                views.add(v.get());
            }
        }
        long leaders = views.stream().filter(v -> "LEADER".equals(v.role())).count();
        Set<String> seen = new LinkedHashSet<>();
        views.forEach(v -> seen.add(String.valueOf(v.leader())));
        if (leaders != 1 || seen.size() != 1) {
            return "the replicas do not agree on one leader: " + views;
        }
        long before = committed[0];
        committed[0] = views.stream().mapToLong(ReplicaView::commitIndex).max().orElse(0);
        if (before == 0) {
            return "first look: the commit index is " + committed[0];
        }
        for (ReplicaView v : views) {
            if (v.appliedIndex() < before) {
                return v.id() + " has applied " + v.appliedIndex() + " of the " + before
                        + " entries committed at the look before: " + views;
            }
        }
        return null;
    }

    /** The replicas' views in one line, for messages. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Pod p : pods()) {
            b.append(p.name()).append("(pid ").append(p.pid()).append(", ready ").append(p.ready());
            if (p.isReplica()) {
                b.append(", ").append(view(p).map(Object::toString).orElse("no answer"));
            }
            b.append(") ");
        }
        return b.toString().strip();
    }

    /** Waits until the pod runs a JVM other than {@code oldPid} and is ready. */
    boolean awaitRestarted(String name, long oldPid, Duration timeout) {
        return kvLocalPods.awaitBack(name, oldPid, timeout);
    }

    /** Copies every pod's log next to the run's report. */
    void copyLogs(Path dir) {
        try {
            Files.createDirectories(dir);
            Path logs = home.resolve("logs");
            if (Files.isDirectory(logs)) {
                try (var files = Files.list(logs)) {
                    for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                        Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            // logs are a help, not a result
        }
    }

    /** Undoes every fault, stops every pod, unmounts the small disks and removes the data. */
    @Override
    public void close() {
        heal();
        for (long pid : List.copyOf(stopped)) {
            Signals.resume(pid);
        }
        stopped.clear();
        for (Path disk : smallDisks) {
            try {
                Files.deleteIfExists(disk.resolve(BALLAST));
            } catch (IOException ignored) {
                // removed with the tmpfs
            }
        }
        try {
            kvLocal.run("down");
        } finally {
            for (Path disk : smallDisks) {
                HostCommand.run("umount", "-l", disk.toString());
            }
            smallDisks.clear();
            kvLocal.run("down", "--purge");
        }
    }

    /** Unmounts whatever an earlier, interrupted run left mounted under {@code dir}. */
    private static void unmountUnder(Path dir) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].startsWith(dir.toString() + "/")) {
                    HostCommand.run("umount", "-l", f[1]);
                }
            }
        } catch (IOException e) {
            // not Linux: nothing was mounted
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
