package io.ordinal.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.local.ClusterAccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Drives {@code bin/kv-local} exactly as a person would, on ports and in a directory of the test's
 * own so that it never meets a developer's cluster. The fault tests ({@code io.ordinal.fault}) use it
 * too, with more frontends and the opt-in settings of {@code docs/local-cluster.md}.
 */
public final class KvLocal implements AutoCloseable {

    /**
     * The kv-local process tests ({@code KvLocalFailoverIT}) and the fault runs ({@code FaultsIT}) start
     * their clusters with {@code up --secure} and use its CA and root token (security-v1.md: the fault runs
     * pass with security on); {@code -Dordinal.it.secure=false} runs them plain. The other process tests
     * (the dashboard's, the paused leader's) keep the plain {@code up} that local-cluster.md describes.
     */
    public static final boolean SECURE = Boolean.parseBoolean(System.getProperty("ordinal.it.secure", "true"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path checkout = Path.of("").toAbsolutePath();
    private final Map<String, String> env;
    private final int httpPort;
    private final int httpsPort;
    private final boolean secure;

    KvLocal(Path home) {
        this(home, 1, Map.of(), false);
    }

    /**
     * @param frontends how many frontends ({@code KV_FRONTENDS}): kv-frontend-j on the j-th port after the first
     * @param extraEnv  more settings for bin/kv-local, such as {@code KV_NETNS}
     * @param secure    {@link #up} with {@code --secure}: the API on https, with the cluster's CA and root token
     */
    public KvLocal(Path home, int frontends, Map<String, String> extraEnv, boolean secure) {
        this.secure = secure;
        this.httpPort = FreePorts.range(frontends);
        this.httpsPort = FreePorts.range(frontends);
        int raftBase = FreePorts.range(5);
        int replicaHttpBase = FreePorts.range(5);
        Map<String, String> e = new HashMap<>(extraEnv);
        e.put("KV_HTTP_PORT", Integer.toString(httpPort));
        e.put("KV_HTTPS_PORT", Integer.toString(httpsPort));
        e.put("KV_RAFT_BASE_PORT", Integer.toString(raftBase));
        e.put("KV_REPLICA_HTTP_BASE_PORT", Integer.toString(replicaHttpBase));
        e.put("KV_LOCAL_HOME", home.toAbsolutePath().toString());
        if (frontends != 1) {
            e.put("KV_FRONTENDS", Integer.toString(frontends));
        }
        this.env = Map.copyOf(e);
    }

    public String endpoint() {
        return endpoint(0);
    }

    /** The API of kv-frontend-{@code frontend}. */
    public String endpoint(int frontend) {
        return secure ? "https://127.0.0.1:" + (httpsPort + frontend) : "http://127.0.0.1:" + (httpPort + frontend);
    }

    /** How this cluster's pods are reached: with its CA and root token once {@code up --secure} made them. */
    public ClusterAccess access() {
        return ClusterAccess.of(checkout, env);
    }

    /** {@code bin/kv-local up}, with {@code --secure} for a secure cluster. */
    public String up() {
        return secure ? run("up", "--secure") : run("up");
    }

    public Path home() {
        return Path.of(env.get("KV_LOCAL_HOME"));
    }

    /** The first frontend's plain-HTTP port ({@code KV_HTTP_PORT}), which a secure cluster leaves closed. */
    public int plainPort() {
        return httpPort;
    }

    /** The settings every bin/kv-local command of this cluster runs with. */
    public Map<String, String> env() {
        return env;
    }

    /** Runs {@code bin/kv-local args…} and returns its standard output; fails on a non-zero exit. */
    public String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(checkout.resolve("bin/kv-local").toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("kv-local", ".out");
            ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("bin/kv-local " + String.join(" ", args) + " did not finish in 240 s");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            if (p.exitValue() != 0) {
                throw new AssertionError("bin/kv-local " + String.join(" ", args) + " exited " + p.exitValue()
                        + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The {@code pods} array of {@code status --json}. */
    public JsonNode pods() {
        try {
            return JSON.readTree(run("status", "--json")).get("pods");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode pod(String name) {
        for (JsonNode pod : pods()) {
            if (pod.get("name").asText().equals(name)) {
                return pod;
            }
        }
        throw new AssertionError("no pod " + name + " in status");
    }

    @Override
    public void close() {
        run("down", "--purge");
    }
}
