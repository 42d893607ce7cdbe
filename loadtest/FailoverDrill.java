import io.ordinal.drill.ClusterProbe;
import io.ordinal.drill.CreateOnlyWriters;
import io.ordinal.drill.CreateOnlyWriters.Outcome;
import io.ordinal.drill.GroupView;
import io.ordinal.drill.HostCommand;
import io.ordinal.drill.KvLocalPods;
import io.ordinal.drill.Poll;
import io.ordinal.local.ClusterAccess;
import io.ordinal.local.SecureEndpoint;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The failover drill: clients write and read through the API while, in turn, the leader pod, a
 * follower pod and a frontend pod are deleted. After each step it reports how long writes stalled,
 * which errors clients saw, and how long the pod took to come back as itself; at the end it reads
 * back every acknowledged write.
 *
 * <p>A single-file program over the application's failover driver ({@code io.ordinal.drill}), run by
 * {@code loadtest/failover-drill.sh} with the application's classes on the class path, with
 * {@code --local} (bin/kv-local) or {@code --kubectl}; {@code loadtest/failover-drill.sh --help}.
 */
public class FailoverDrill {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Options options;
    private final URI endpoint;
    private final KvLocalPods pods = KvLocalPods.in(Path.of(""));
    private final ClusterProbe probe;
    private final long started = System.nanoTime();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final CreateOnlyWriters clients;

    record Options(String mode, String endpoint, String namespace, int writers, List<String> steps, boolean force) {
    }

    record StepReport(String step, String pod, long writesOk, Map<String, Integer> errors, Duration writeOutage,
                      Duration back) {
    }

    FailoverDrill(Options options) {
        this.options = options;
        this.endpoint = URI.create(options.endpoint());
        // A local cluster started with up --secure: its CA and root token (https endpoints only).
        ClusterAccess access = options.mode().equals("local") ? pods.access() : ClusterAccess.plain();
        this.probe = new ClusterProbe(Duration.ofSeconds(10), access);
        this.clients = new CreateOnlyWriters(endpoint, "drill/" + run, access);
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        int lost = new FailoverDrill(options).drill();
        System.exit(lost == 0 ? 0 : 1);
    }

    int drill() throws Exception {
        System.out.printf("drill %s: mode %s, endpoint %s, %d writers, steps %s%n", run, options.mode(),
                options.endpoint(), options.writers(), options.steps());
        clients.start(options.writers(), 1);
        if (!clients.awaitAcknowledged(20, Duration.ofSeconds(30))) {
            throw new IllegalStateException("no writes succeed through " + options.endpoint());
        }

        List<StepReport> reports = new ArrayList<>();
        for (String step : options.steps()) {
            settle();
            reports.add(step(step));
        }
        settle();
        clients.stop();

        System.out.printf("%n[%6.1f s] reading back %d acknowledged writes%n", seconds(now()), clients.acknowledged().size());
        List<String> lost = clients.unreadable();
        lost.forEach(l -> System.out.println("LOST: " + l));
        print(reports, lost.size());
        return lost.size();
    }

    private StepReport step(String step) {
        String pod = switch (step) {
            case "leader" -> probe.awaitLeaderName(endpoint, Duration.ofSeconds(20))
                    .orElseThrow(() -> new IllegalStateException("no leader"));
            case "follower" -> probe.group(endpoint).map(GroupView::followers).filter(f -> !f.isEmpty())
                    .map(f -> f.get(0)).orElseThrow(() -> new IllegalStateException("no follower"));
            case "frontend" -> frontend();
            default -> throw new IllegalArgumentException("unknown step " + step);
        };
        String before = podIdentity(pod);
        int mark = clients.outcomes().size();
        System.out.printf("%n[%6.1f s] deleting %s pod %s%n", seconds(now()), step, pod);
        deletePod(pod);
        long killedAt = System.nanoTime(); // the pod is gone once the delete command has returned
        Duration back = awaitBack(pod, before, killedAt);
        Duration outage = writeOutage(killedAt);
        List<Outcome> all = clients.outcomes();
        Map<String, Integer> errors = new TreeMap<>();
        long ok = 0;
        for (Outcome o : all.subList(mark, all.size())) {
            if (o.ok()) {
                ok += o.write() ? 1 : 0;
            } else {
                errors.merge((o.write() ? "write " : "read ") + (o.status() == 0 ? "no answer" : Integer.toString(o.status())), 1, Integer::sum);
            }
        }
        System.out.printf("[%6.1f s] %s is back as itself after %.1f s; writes stalled for %.2f s; errors: %s%n",
                seconds(now()), pod, back.toMillis() / 1000.0, outage.toMillis() / 1000.0, errors.isEmpty() ? "none" : errors);
        return new StepReport(step, pod, ok, errors, outage, back);
    }

    /** From the delete until the first write that began after it and succeeded. */
    private Duration writeOutage(long killedAt) {
        return Poll.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> clients.outcomes().stream()
                        .filter(o -> o.write() && o.startNs() >= killedAt && o.ok())
                        .mapToLong(Outcome::endNs).min().stream().boxed().findFirst())
                .map(firstOk -> Duration.ofNanos(firstOk - killedAt)).orElse(Duration.ofSeconds(60));
    }

    private void print(List<StepReport> reports, int lost) {
        List<Outcome> outcomes = clients.outcomes();
        long writes = outcomes.stream().filter(Outcome::write).count();
        long writesOk = outcomes.stream().filter(o -> o.write() && o.status() == 201).count();
        clients.selfConflicts().forEach(c -> System.out.println("ANOMALY: a create-only write answered 412: applied twice? " + c));
        clients.badReads().forEach(r -> System.out.println("ANOMALY: " + r));
        clients.unexpected().forEach(u -> System.out.println("ANOMALY: an answer a write never gets: " + u));
        System.out.printf("%n%-10s %-15s %10s %14s %12s  %s%n", "step", "pod", "writes ok", "write stall", "pod back", "errors clients saw");
        for (StepReport r : reports) {
            System.out.printf("%-10s %-15s %10d %12.2f s %10.1f s  %s%n", r.step(), r.pod(), r.writesOk(),
                    r.writeOutage().toMillis() / 1000.0, r.back().toMillis() / 1000.0,
                    r.errors().isEmpty() ? "none" : r.errors());
        }
        System.out.printf("%ntotal: %d writes, %d acknowledged, %d acknowledged writes lost%n", writes, writesOk, lost);
        System.out.println(lost == 0 ? "RESULT: no acknowledged write was lost" : "RESULT: ACKNOWLEDGED WRITES WERE LOST");
    }

    // --- the cluster, in either mode ---------------------------------------------------------------

    private boolean local() {
        return options.mode().equals("local");
    }

    private String frontend() {
        if (local()) {
            return "kv-frontend-0";
        }
        String names = exec(kubectl("get", "pods", "-l", "app.kubernetes.io/name=kv-frontend",
                "-o", "jsonpath={.items[*].metadata.name}"));
        return names.trim().split("\\s+")[0];
    }

    private void deletePod(String pod) {
        if (local()) {
            pods.deletePod(pod).orThrow(List.of("bin/kv-local", "delete-pod", pod));
        } else if (options.force()) {
            exec(kubectl("delete", "pod", pod, "--grace-period=0", "--force", "--wait=false"));
        } else {
            exec(kubectl("delete", "pod", pod, "--wait=false"));
        }
    }

    /** Something that changes when the pod is re-created: its JVM's pid locally, its uid in Kubernetes. */
    private String podIdentity(String pod) {
        if (local()) {
            return pods.pod(pod).map(p -> Long.toString(p.pid())).orElse("0");
        }
        return exec(kubectl("get", "pod", pod, "-o", "jsonpath={.metadata.uid}")).trim();
    }

    /** Waits until the pod runs again under the same name, as a new process, and is ready. */
    private Duration awaitBack(String pod, String before, long since) {
        Duration within = Duration.ofSeconds(180);
        boolean back;
        if (local()) {
            back = pods.awaitBack(pod, Long.parseLong(before), within);
        } else {
            back = Poll.until(within, Duration.ofMillis(200), () -> {
                String out = exec(kubectl("get", "pod", pod, "--ignore-not-found",
                        "-o", "jsonpath={.metadata.uid} {.status.conditions[?(@.type==\"Ready\")].status}")).trim();
                return Optional.of(true).filter(x -> !out.isEmpty() && !out.startsWith(before) && out.endsWith("True"));
            }).isPresent();
        }
        if (!back) {
            throw new IllegalStateException(pod + " did not come back within 180 s");
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    private List<String> kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        if (options.namespace() != null) {
            command.addAll(List.of("-n", options.namespace()));
        }
        command.addAll(List.of(args));
        return command;
    }

    private static String exec(List<String> command) {
        return HostCommand.run(command, Map.of(), COMMAND_TIMEOUT, Integer.MAX_VALUE).orThrow(command);
    }

    // --- plumbing ----------------------------------------------------------------------------------

    /** Lets the cluster run undisturbed for a moment, so that each step starts from a steady state. */
    private static void settle() {
        Poll.hold(Duration.ofSeconds(3));
    }

    private long now() {
        return System.nanoTime() - started;
    }

    private static double seconds(long ns) {
        return ns / 1e9;
    }

    private static Options parse(String[] args) {
        String mode = "local";
        String endpoint = null;
        String namespace = null;
        int writers = 4;
        List<String> steps = List.of("leader", "follower", "frontend");
        boolean force = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--local" -> mode = "local";
                case "--kubectl" -> mode = "kubectl";
                case "--endpoint" -> endpoint = args[++i];
                case "--namespace", "-n" -> namespace = args[++i];
                case "--writers" -> writers = Integer.parseInt(args[++i]);
                case "--steps" -> steps = List.of(args[++i].split(","));
                case "--graceful" -> force = false;
                case "--help", "-h" -> {
                    System.out.println("""
                            usage: loadtest/failover-drill.sh [--local | --kubectl] [--endpoint URL]
                                   [--namespace NS] [--writers N] [--steps leader,follower,frontend] [--graceful]
                              --local     pods are bin/kv-local's (default); endpoint defaults to http://127.0.0.1:${KV_HTTP_PORT:-8080}
                                          (https://127.0.0.1:${KV_HTTPS_PORT:-8443} after bin/kv-local up --secure)
                              --kubectl   pods are the cluster's (kubectl delete pod --grace-period=0 --force, or
                                          --graceful for a normal delete); point --endpoint at Service kv, e.g. after
                                          kubectl port-forward svc/kv 8080:80
                            exit status 0 when no acknowledged write was lost""");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see --help)");
            }
        }
        if (endpoint == null) {
            String port = System.getenv().getOrDefault("KV_HTTP_PORT", "8080");
            endpoint = SecureEndpoint.find(Path.of("").toAbsolutePath(), Map.of()).map(SecureEndpoint::url)
                    .orElse("http://127.0.0.1:" + port);
        }
        return new Options(mode, endpoint, namespace, writers, steps, force);
    }
}
