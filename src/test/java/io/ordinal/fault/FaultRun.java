package io.ordinal.fault;

import io.ordinal.drill.Poll;
import io.ordinal.drill.Pod;
import io.ordinal.drill.ReplicaView;
import io.ordinal.history.Budget;
import io.ordinal.history.CheckResult;
import io.ordinal.history.History;
import io.ordinal.history.HistoryFile;
import io.ordinal.history.LinearizabilityChecker;
import io.ordinal.history.LostWrites;
import io.ordinal.history.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs steps against one cluster: each step puts the workload on a fresh set of keys, injects one
 * fault while it runs, heals it, waits for the cluster to recover, reads every key one last time, and
 * checks the step's history (linearizability, lost acknowledged writes, and what clients saw). Fresh
 * keys per step keep each key's history short, so the checker decides every key well within its budget.
 * The whole run's history goes to one JSON Lines file; {@link #close()} writes the report.
 */
final class FaultRun implements AutoCloseable {

    /** How a run is shaped; {@link #SHORT} is the CI run. */
    record Settings(int clients, int keysPerStep, Workload.Mix mix, Duration think, Duration warmup, Duration pause,
                    Duration partition, Duration diskHold, Duration settle, Budget budget, long diskBytes, int bigValueBytes,
                    int lockClients, Duration leaseTtl, Duration leasePause) {

        /**
         * Six clients on four keys per step, each waiting 15 ms between requests (a few hundred requests
         * a second: enough contention per key, and CPU left on two cores for the JVMs that restart);
         * a pause of 2.5 s (twice the longest election timeout), partitions of 3 s. After healing, 3 s
         * more before the step ends: a write whose attempt went to a leader that stopped answering
         * waits out the frontend's 3 s attempt timeout before Ratis retries it elsewhere
         * (docs/reliability.md), so after a 3 s partition writes may come back only about then.
         * Beside them three clients take turns at a lock ({@link LockWorkload}). The lease kept alive
         * through a paused leader has a ttl of 3 s, and the leader is paused for 5 s: past the ttl by
         * more than the longest election timeout, so the old leader wakes up believing the lease expired.
         */
        static final Settings SHORT = new Settings(6, 4, Workload.Mix.DEFAULT, Duration.ofMillis(15), Duration.ofMillis(1500),
                Duration.ofMillis(2500), Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(3),
                Budget.ofTime(Duration.ofSeconds(20)), 512L << 20, 512 << 10,
                3, Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    /** How long the cluster may take to be whole again after a step's fault. */
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(90);
    /** With {@code -Dordinal.it.secure=true} the cluster runs {@code up --secure}, and every client uses its CA and root token. */
    private static final boolean SECURE = io.ordinal.process.KvLocal.SECURE;
    /**
     * How long a replica whose disk has space again may take to catch up. Its recovery is a restart
     * (the replica ends itself when its log cannot be written): a JVM start, measured at 5 to 14 s
     * on the 2-core machine while the other pods and the clients run, then the catch-up. It must
     * happen by itself — the step fails, and the test restarts the replica, if it does not.
     */
    static final Duration DISK_RECOVERY_TIMEOUT = Duration.ofSeconds(45);
    /** How often a replica with a full disk is looked at. */
    private static final Duration LOOK_EVERY = Duration.ofMillis(500);

    private final Path dir;
    private final long seed;
    private final Settings settings;
    private final LocalCluster cluster;
    private final Nemesis nemesis;
    private final HistoryFile.Appender history;
    private final Service service;
    private final long startedAt = System.nanoTime();
    private final List<StepResult> results = new ArrayList<>();
    private final List<String> environment = new ArrayList<>();

    private FaultRun(Path dir, long seed, Settings settings, LocalCluster cluster, HistoryFile.Appender history) {
        this.dir = dir;
        this.seed = seed;
        this.settings = settings;
        this.cluster = cluster;
        this.nemesis = new Nemesis(cluster, seed);
        this.history = history;
        this.service = new Service(cluster.frontendEndpoints(), cluster.access());
    }

    /**
     * Starts a cluster in {@code dir/cluster}: every replica in a network namespace of its own and on a
     * small disk of its own when this machine allows it (else the faults that need them are skipped,
     * with the reason in the report), and two frontends.
     */
    static FaultRun start(Path dir, long seed, Settings settings) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<String> noNetns = LocalCluster.whyNoNetworkNamespaces();
        Optional<String> noDisks = LocalCluster.whyNoSmallDisks(dir);
        LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 2, noNetns.isEmpty(),
                noDisks.isEmpty() ? settings.diskBytes() : 0, null, SECURE);
        FaultRun run = new FaultRun(dir, seed, settings, cluster, HistoryFile.appender(dir.resolve("history.jsonl")));
        run.environment.add("seed " + seed);
        run.environment.add("security: " + (SECURE ? "on (bin/kv-local up --secure)" : "off"));
        run.environment.add("network namespaces: " + noNetns.map(w -> "no — " + w).orElse("yes"));
        run.environment.add("small disks (tmpfs of " + (settings.diskBytes() >> 20) + " MiB per replica): "
                + noDisks.map(w -> "no — " + w).orElse("yes"));
        run.environment.add(settings.clients() + " clients, " + settings.keysPerStep() + " keys per step, mix " + settings.mix());
        return run;
    }

    Nemesis nemesis() {
        return nemesis;
    }

    List<StepResult> results() {
        return List.copyOf(results);
    }

    Path dir() {
        return dir;
    }

    StepResult step(FaultKind kind) {
        int index = results.size() + 1;
        String unavailable = nemesis.unavailable(kind);
        if (unavailable != null) {
            StepResult skipped = StepResult.skipped(index, kind, unavailable, System.nanoTime());
            results.add(skipped);
            return skipped;
        }
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        cluster.awaitHealthy(RESTART_TIMEOUT).ifPresent(p -> problems.add("the cluster was not healthy before the step: " + p));

        String prefix = "s" + index + "-" + kind.id() + "/";
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < settings.keysPerStep(); i++) {
            keys.add(prefix + "k" + i);
        }
        Recorder recorder = new Recorder(history);
        Workload workload = new Workload(recorder, service, keys, settings.clients(), seed * 7919 + index, settings.mix(),
                settings.think());
        LockWorkload locks = new LockWorkload(service, prefix, settings.lockClients(), seed * 7919 + index);
        LeaseKeeper lease = null;
        if (kind.keepsALeaseAlive()) {
            lease = new LeaseKeeper(service, prefix, settings.leaseTtl());
            String failed = lease.start();
            if (failed != null) {
                problems.add("the lease to keep alive could not be set up before the fault: " + failed);
            }
        }
        long started = System.nanoTime();
        workload.start();
        locks.start();
        Poll.hold(settings.warmup());

        BigWriter big = null;
        if (kind.needs() == FaultKind.Needs.SMALL_DISKS) {
            big = new BigWriter(service, "s" + index + "-fill", settings.bigValueBytes());
            notes.add("free space before: " + cluster.freeSpace());
        }
        Nemesis.Active fault = nemesis.inject(kind);
        long injected = fault.at;
        if (!fault.notes.isEmpty()) {
            notes.add(fault.notes);
        }
        switch (kind) {
            case PAUSE_LEADER -> Poll.hold(settings.pause());
            case PAUSE_LEADER_PAST_LEASE_TTL -> Poll.hold(settings.leasePause());
            case PARTITION_LEADER, PARTITION_FOLLOWER -> Poll.hold(settings.partition());
            case DISK_FULL_FOLLOWER, DISK_FULL_LEADER -> {
                big.start();
                awaitStuck(fault.diskFull, settings.diskHold(), problems, notes);
                Poll.hold(Duration.ofMillis(1000));
                big.stop();
            }
            default -> { }
        }
        fault.heal();
        long healed = System.nanoTime();

        for (Pod killed : fault.killed) {
            if (!cluster.awaitRestarted(killed.name(), killed.pid(), RESTART_TIMEOUT)) {
                problems.add(killed.name() + " was not running and ready again within " + RESTART_TIMEOUT.toSeconds() + " s");
            }
        }
        if (fault.diskFull != null) {
            awaitCaughtUp(fault.diskFull, problems, notes);
        }
        Poll.hold(settings.settle());
        workload.stop();
        locks.stop();
        if (lease != null) {
            problems.addAll(lease.checkAndStop());
            notes.add(lease.summary());
        }
        long ended = System.nanoTime();

        List<String> unread = workload.finalReads(Duration.ofSeconds(60));
        if (!unread.isEmpty()) {
            problems.add("no final read of " + unread + " succeeded within 60 s");
        }
        problems.addAll(locks.check(Duration.ofSeconds(60)));
        notes.add(locks.summary());
        cluster.awaitHealthy(RESTART_TIMEOUT).ifPresent(p -> problems.add("the cluster was not healthy after the step: " + p));
        if (big != null) {
            notes.add(big.acknowledgedCount() + " large writes of " + (settings.bigValueBytes() >> 10) + " KiB acknowledged while the disk was full");
            big.problems().forEach(p -> problems.add("large writes: " + p));
            big.deleteAll();
        }

        History stepHistory = recorder.history();
        CheckResult check = new LinearizabilityChecker(settings.budget()).check(stepHistory);
        List<LostWrites.LostWrite> lost = LostWrites.find(stepHistory);
        List<Recorder.Entry> entries = recorder.entries();
        Recovery recovery = Recovery.of(entries, injected, ended);

        if (check.verdict() != Verdict.LINEARIZABLE) {
            problems.add("the checker's verdict is " + check.verdict() + ":\n" + check.report());
        }
        lost.forEach(l -> problems.add(l.toString()));
        recorder.unexpectedAnswers().forEach(u -> problems.add("an answer the API never gives: " + u));
        if (kind.mustBeInvisibleToClients()) {
            entries.stream().filter(Workload::isClientVisibleError).limit(10).forEach(e -> problems.add(
                    "a client saw an error (" + Recovery.why(e) + ", " + e.error() + ") after " + kind.id() + ": " + e.op().describe()));
        }
        if (recovery.writesBack().isEmpty()) {
            problems.add("no write invoked after the fault was acknowledged before the step ended");
        }
        history.flush();
        StepResult result = new StepResult(index, kind, fault.target, String.join("\n", notes), null, started, injected, healed,
                ended, entries, check, lost, recovery, problems);
        results.add(result);
        System.out.print(result.summary());
        return result;
    }

    /**
     * Waits until the replica with the full disk has visibly stopped: its applied index stays put
     * while another replica's commit index is past it, for a second and a half.
     */
    private void awaitStuck(Pod replica, Duration timeout, List<String> problems, List<String> notes) {
        long start = System.nanoTime();
        long[] lastApplied = {-1};
        int[] still = {0};
        boolean stuck = LocalCluster.within(timeout, LOOK_EVERY, () -> {
            long applied = cluster.view(replica).map(ReplicaView::appliedIndex).orElse(lastApplied[0]);
            long othersCommit = othersCommitIndex(replica);
            still[0] = applied == lastApplied[0] && applied < othersCommit ? still[0] + 1 : 0;
            lastApplied[0] = applied;
            if (still[0] >= 3) {
                notes.add(replica.name() + " stopped applying at index " + applied + " while the others had committed "
                        + othersCommit + " (" + (System.nanoTime() - start) / 1_000_000 + " ms after its disk filled)");
            }
            return still[0] >= 3;
        });
        if (!stuck) {
            problems.add("the full disk never stopped " + replica.name() + " within " + timeout.toSeconds()
                    + " s (the fault did not bite): " + cluster.describe());
        }
    }

    /**
     * After the disk has space again the replica must catch up by itself: apply everything the others
     * had committed when the space came back. If it does not, it is restarted (what a liveness probe
     * would do), so that the run can go on, and the step fails.
     */
    private void awaitCaughtUp(Pod replica, List<String> problems, List<String> notes) {
        long target = othersCommitIndex(replica);
        long start = System.nanoTime();
        if (LocalCluster.within(DISK_RECOVERY_TIMEOUT, LOOK_EVERY,
                () -> cluster.view(replica).filter(v -> v.appliedIndex() >= target).isPresent())) {
            notes.add(replica.name() + " caught up " + (System.nanoTime() - start) / 1_000_000 + " ms after its disk had space again");
            return;
        }
        Pod now = cluster.pod(replica.name());
        problems.add(replica.name() + " did not recover within " + DISK_RECOVERY_TIMEOUT.toSeconds()
                + " s after its disk had space again: it had applied "
                + cluster.view(now).map(x -> Long.toString(x.appliedIndex())).orElse("(no answer)")
                + " of the " + target + " entries the others had committed, and its pid is still " + now.pid()
                + " (its Raft log stays failed after a write error; see " + now.name() + ".log)");
        cluster.kill(now);
        if (cluster.awaitRestarted(now.name(), now.pid(), Duration.ofSeconds(60))) {
            notes.add(now.name() + " was restarted by the test (SIGKILL) so that the run could go on");
            return;
        }
        problems.add(now.name() + " could not start again after the full disk (see its log: " + cluster.lastLogLine(now, "Caused by")
                + "); its data directory was wiped (a replaced disk) so that the run could go on");
        cluster.wipe(now);
        if (!cluster.awaitRestarted(now.name(), 0, RESTART_TIMEOUT)) {
            problems.add(now.name() + " did not come back even on a wiped disk within " + RESTART_TIMEOUT.toSeconds() + " s");
        }
    }

    private long othersCommitIndex(Pod replica) {
        long max = 0;
        for (Pod p : cluster.replicas()) {
            if (!p.name().equals(replica.name())) {
                max = Math.max(max, cluster.view(p).map(ReplicaView::commitIndex).orElse(0L));
            }
        }
        return max;
    }

    /** Writes the report and the picture, copies the pods' logs, and stops the cluster. */
    @Override
    public void close() {
        try {
            service.close();
            history.close();
            cluster.copyLogs(dir.resolve("logs"));
            RunReport.write(dir, environment, startedAt, results);
        } finally {
            cluster.close();
        }
    }
}
