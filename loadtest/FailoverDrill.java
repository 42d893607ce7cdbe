import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The failover drill: clients write and read through the API while, in turn, the leader pod, a
 * follower pod and a frontend pod are deleted. After each step it reports how long writes stalled,
 * which errors clients saw, and how long the pod took to come back as itself; at the end it reads
 * back every acknowledged write.
 *
 * <p>One file, the JDK only: {@code java loadtest/FailoverDrill.java --help}. Normally started by
 * {@code loadtest/failover-drill.sh}, with {@code --local} (bin/kv-local) or {@code --kubectl}.
 */
public class FailoverDrill {

    private static final Pattern LEADER = Pattern.compile("\"leader\":\"([^\"]+)\"");
    private static final Pattern MEMBER = Pattern.compile("\"id\":\"([^\"]+)\",\"address\":\"[^\"]*\",\"role\":\"([A-Z]+)\"");
    private static final Pattern LOCAL_POD = Pattern.compile("\"name\":\"([^\"]+)\",\"pid\":(null|\\d+),\"ready\":(true|false)");

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final long started = System.nanoTime();
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    /** One finished request: when it started and ended (ns since the drill began), and its status (0: no answer). */
    record Outcome(boolean write, long startNs, long endNs, int status) {
    }

    record Options(String mode, String endpoint, String namespace, int writers, List<String> steps, boolean force) {
    }

    record StepReport(String step, String pod, long writesOk, Map<String, Integer> errors, Duration writeOutage,
                      Duration back) {
    }

    FailoverDrill(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        int lost = new FailoverDrill(options).drill();
        System.exit(lost == 0 ? 0 : 1);
    }

    int drill() throws Exception {
        System.out.printf("drill %s: mode %s, endpoint %s, %d writers, steps %s%n", run, options.mode(),
                options.endpoint(), options.writers(), options.steps());
        ExecutorService clients = Executors.newFixedThreadPool(options.writers() + 1);
        for (int w = 0; w < options.writers(); w++) {
            int writer = w;
            clients.submit(() -> write(writer));
        }
        clients.submit(this::read);
        awaitWrites(Duration.ofSeconds(30));

        List<StepReport> reports = new ArrayList<>();
        for (String step : options.steps()) {
            settle();
            reports.add(step(step));
        }
        settle();
        running.set(false);
        clients.shutdown();
        clients.awaitTermination(30, TimeUnit.SECONDS);

        int lost = verify();
        print(reports, lost);
        return lost;
    }

    private StepReport step(String step) throws Exception {
        String pod = switch (step) {
            case "leader" -> leader();
            case "follower" -> follower();
            case "frontend" -> frontend();
            default -> throw new IllegalArgumentException("unknown step " + step);
        };
        String before = podIdentity(pod);
        int mark = outcomes.size();
        System.out.printf("%n[%6.1f s] deleting %s pod %s%n", seconds(now()), step, pod);
        deletePod(pod);
        long killedAt = now(); // the pod is gone once the delete command has returned
        Duration back = awaitBack(pod, before, killedAt);
        Duration outage = writeOutage(killedAt);
        List<Outcome> during = new ArrayList<>(outcomes).subList(mark, outcomes.size());
        Map<String, Integer> errors = new TreeMap<>();
        long ok = 0;
        for (Outcome o : during) {
            if (o.status() >= 200 && o.status() < 300) {
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
        long deadline = now() + TimeUnit.SECONDS.toNanos(60);
        while (now() < deadline) {
            OptionalLong firstOk = outcomes.stream()
                    .filter(o -> o.write() && o.startNs() >= killedAt && o.status() >= 200 && o.status() < 300)
                    .mapToLong(Outcome::endNs).min();
            if (firstOk.isPresent()) {
                return Duration.ofNanos(firstOk.getAsLong() - killedAt);
            }
            pause(100);
        }
        return Duration.ofSeconds(60);
    }

    private void write(int writer) {
        for (long i = 0; running.get(); i++) {
            String key = "drill/" + run + "/" + writer + "/" + i;
            String value = "v" + i;
            long start = now();
            int status = send(HttpRequest.newBuilder(uri("/v1/kv/" + key)).header("If-None-Match", "*")
                    .PUT(HttpRequest.BodyPublishers.ofString(value)));
            outcomes.add(new Outcome(true, start, now(), status));
            if (status == 201) {
                acknowledged.put(key, value);
            } else if (status == 412) {
                System.out.println("ANOMALY: create-only write of " + key + " answered 412: applied twice?");
            } else {
                pause(20); // no answer or 503: a client backs off a little before it retries
            }
        }
    }

    /** Reads back recently acknowledged keys, linearizably: each must be there with its value. */
    private void read() {
        while (running.get()) {
            List<String> keys = new ArrayList<>(acknowledged.keySet());
            if (keys.isEmpty()) {
                pause(50);
                continue;
            }
            String key = keys.get((int) (Math.random() * keys.size()));
            long start = now();
            HttpResponse<String> r = request(HttpRequest.newBuilder(uri("/v1/kv/" + key)).GET());
            int status = r == null ? 0 : r.statusCode();
            outcomes.add(new Outcome(false, start, now(), status));
            if (status == 0 || status >= 500) {
                pause(20);
            }
            if (status == 404 || (status == 200 && !r.body().equals(acknowledged.get(key)))) {
                System.out.println("ANOMALY: acknowledged " + key + " read back as " + status);
            }
        }
    }

    private int verify() {
        System.out.printf("%n[%6.1f s] reading back %d acknowledged writes%n", seconds(now()), acknowledged.size());
        int lost = 0;
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            HttpResponse<String> r = null;
            for (int attempt = 0; attempt < 10 && (r == null || r.statusCode() >= 500); attempt++) {
                r = request(HttpRequest.newBuilder(uri("/v1/kv/" + e.getKey())).GET());
            }
            if (r == null || r.statusCode() != 200 || !r.body().equals(e.getValue())) {
                lost++;
                System.out.println("LOST: " + e.getKey() + " -> " + (r == null ? "no answer" : r.statusCode()));
            }
        }
        return lost;
    }

    private void print(List<StepReport> reports, int lost) {
        long writes = outcomes.stream().filter(Outcome::write).count();
        long writesOk = outcomes.stream().filter(o -> o.write() && o.status() == 201).count();
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

    private String leader() {
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = request(HttpRequest.newBuilder(uri("/v1/cluster")).GET());
            if (r != null && r.statusCode() == 200) {
                Matcher m = LEADER.matcher(r.body());
                if (m.find()) {
                    return m.group(1);
                }
            }
            pause(200);
        }
        throw new IllegalStateException("no leader");
    }

    private String follower() {
        HttpResponse<String> r = request(HttpRequest.newBuilder(uri("/v1/cluster")).GET());
        Matcher m = MEMBER.matcher(r == null ? "" : r.body());
        while (m.find()) {
            if (m.group(2).equals("FOLLOWER")) {
                return m.group(1);
            }
        }
        throw new IllegalStateException("no follower");
    }

    private String frontend() throws Exception {
        if (options.mode().equals("local")) {
            return "kv-frontend-0";
        }
        String names = exec(kubectl("get", "pods", "-l", "app.kubernetes.io/name=kv-frontend",
                "-o", "jsonpath={.items[*].metadata.name}"));
        return names.trim().split("\\s+")[0];
    }

    private void deletePod(String pod) throws Exception {
        if (options.mode().equals("local")) {
            exec(List.of("bin/kv-local", "delete-pod", pod));
        } else if (options.force()) {
            exec(kubectl("delete", "pod", pod, "--grace-period=0", "--force", "--wait=false"));
        } else {
            exec(kubectl("delete", "pod", pod, "--wait=false"));
        }
    }

    /** Something that changes when the pod is re-created: its JVM's pid locally, its uid in Kubernetes. */
    private String podIdentity(String pod) throws Exception {
        if (options.mode().equals("local")) {
            return localPods().getOrDefault(pod, "");
        }
        return exec(kubectl("get", "pod", pod, "-o", "jsonpath={.metadata.uid}")).trim();
    }

    /** Waits until the pod runs again under the same name, as a new process, and is ready. */
    private Duration awaitBack(String pod, String before, long since) throws Exception {
        long deadline = now() + TimeUnit.SECONDS.toNanos(180);
        while (now() < deadline) {
            if (options.mode().equals("local")) {
                String now = localPods().get(pod);
                if (now != null && now.endsWith(":true") && !now.equals(before)) {
                    return Duration.ofNanos(now() - since);
                }
            } else {
                String out = exec(kubectl("get", "pod", pod, "--ignore-not-found",
                        "-o", "jsonpath={.metadata.uid} {.status.conditions[?(@.type==\"Ready\")].status}")).trim();
                if (!out.isEmpty() && !out.startsWith(before) && out.endsWith("True")) {
                    return Duration.ofNanos(now() - since);
                }
            }
            pause(200);
        }
        throw new IllegalStateException(pod + " did not come back within 180 s");
    }

    /** name → "pid:ready" from {@code bin/kv-local status --json}. */
    private Map<String, String> localPods() throws Exception {
        Map<String, String> pods = new LinkedHashMap<>();
        Matcher m = LOCAL_POD.matcher(exec(List.of("bin/kv-local", "status", "--json")));
        while (m.find()) {
            pods.put(m.group(1), m.group(2) + ":" + m.group(3));
        }
        return pods;
    }

    private List<String> kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        if (options.namespace() != null) {
            command.addAll(List.of("-n", options.namespace()));
        }
        command.addAll(List.of(args));
        return command;
    }

    // --- plumbing ----------------------------------------------------------------------------------

    private void awaitWrites(Duration timeout) {
        long deadline = now() + timeout.toNanos();
        while (acknowledged.size() < 20) {
            if (now() > deadline) {
                throw new IllegalStateException("no writes succeed through " + options.endpoint());
            }
            pause(100);
        }
    }

    /** Lets the cluster run undisturbed for a moment, so that each step starts from a steady state. */
    private void settle() {
        pause(3000);
    }

    private int send(HttpRequest.Builder request) {
        HttpResponse<String> r = request(request);
        return r == null ? 0 : r.statusCode();
    }

    private HttpResponse<String> request(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private URI uri(String path) {
        return URI.create(options.endpoint() + path);
    }

    private static String exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private long now() {
        return System.nanoTime() - started;
    }

    private static double seconds(long ns) {
        return ns / 1e9;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
                            usage: java loadtest/FailoverDrill.java [--local | --kubectl] [--endpoint URL]
                                   [--namespace NS] [--writers N] [--steps leader,follower,frontend] [--graceful]
                              --local     pods are bin/kv-local's (default); endpoint defaults to http://127.0.0.1:${KV_HTTP_PORT:-8080}
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
            endpoint = "http://127.0.0.1:" + port;
        }
        return new Options(mode, endpoint, namespace, writers, steps, force);
    }
}
