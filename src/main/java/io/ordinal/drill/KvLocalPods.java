package io.ordinal.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.local.ClusterAccess;
import io.ordinal.local.LocalStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pods of a cluster that {@code bin/kv-local} runs, through its command line (docs/local-cluster.md):
 * {@code status --json}, {@code delete-pod} (SIGKILL; kv-local starts the pod again as itself, like a
 * StatefulSet), {@code pause-pod} (SIGSTOP, SIGCONT after a while). The status of a checkout's own
 * kv-local ({@link #checkout}) is read in this process ({@link LocalStatus}): each {@code bin/kv-local}
 * starts a JVM, and the fault runs look at the pods every few hundred milliseconds.
 */
public final class KvLocalPods {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOOK_EVERY = Duration.ofMillis(300);

    private final Path script;
    private final Map<String, String> env;
    private final Duration timeout;
    private final int maxOutput;
    /** The checkout whose kv-local's status is read in this process; null: run the script's {@code status --json}. */
    private final Path checkout;

    /**
     * @param env       the settings of this cluster ({@code KV_HTTP_PORT}, {@code KV_LOCAL_HOME}, …), added
     *                  to this process's environment
     * @param timeout   how long one command may take
     * @param maxOutput how many bytes of a command's output are kept
     */
    public KvLocalPods(Path script, Map<String, String> env, Duration timeout, int maxOutput) {
        this(script, env, timeout, maxOutput, null);
    }

    private KvLocalPods(Path script, Map<String, String> env, Duration timeout, int maxOutput, Path checkout) {
        this.script = script;
        this.env = Map.copyOf(env);
        this.timeout = timeout;
        this.maxOutput = maxOutput;
        this.checkout = checkout;
    }

    /**
     * {@code bin/kv-local} in {@code checkout}, its status read in this process (the same answer as
     * {@code status --json}, without a JVM of its own); parameters as for the constructor.
     */
    public static KvLocalPods checkout(Path checkout, Map<String, String> env, Duration timeout, int maxOutput) {
        return new KvLocalPods(checkout.resolve("bin/kv-local"), env, timeout, maxOutput, checkout);
    }

    /** {@code bin/kv-local} in {@code checkout}, with the settings of this process's environment. */
    public static KvLocalPods in(Path checkout) {
        return checkout(checkout, Map.of(), Duration.ofSeconds(60), Integer.MAX_VALUE);
    }

    /** Runs {@code bin/kv-local args…}. */
    public HostCommand.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        return HostCommand.run(command, env, timeout, maxOutput);
    }

    /** Every pod, as {@code status --json} lists them; an IllegalStateException if status fails. */
    public List<Pod> pods() {
        String json = checkout != null ? LocalStatus.json(checkout, env)
                : run("status", "--json").orThrow(List.of(script.toString(), "status", "--json"));
        try {
            List<Pod> pods = new ArrayList<>();
            for (JsonNode n : JSON.readTree(json).path("pods")) {
                pods.add(Pod.of(n));
            }
            return pods;
        } catch (IOException e) {
            throw new IllegalStateException("bin/kv-local status --json is not JSON: " + json, e);
        }
    }

    public Optional<Pod> pod(String name) {
        return pods().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** How to reach the cluster's pods: with its CA and root token when it runs {@code up --secure}. */
    public ClusterAccess access() {
        return ClusterAccess.of(checkout != null ? checkout : script.toAbsolutePath().getParent().getParent(), env);
    }

    /** SIGKILL to the pod's JVM, like {@code kubectl delete pod --grace-period=0 --force}. */
    public HostCommand.Result deletePod(String pod) {
        return run("delete-pod", pod);
    }

    /** SIGSTOP to the pod's JVM, SIGCONT {@code seconds} later; returns once it runs again. */
    public HostCommand.Result pausePod(String pod, long seconds) {
        return run("pause-pod", pod, Long.toString(seconds));
    }

    /** Waits until the pod runs a JVM other than {@code oldPid} and is ready; false if it does not in time. */
    public boolean awaitBack(String name, long oldPid, Duration within) {
        return Poll.until(within, LOOK_EVERY, () -> pod(name).filter(p -> p.isBackFrom(oldPid))).isPresent();
    }
}
