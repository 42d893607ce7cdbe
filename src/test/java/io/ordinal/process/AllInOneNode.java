package io.ordinal.process;

import io.ordinal.process.RawHttp.Answer;
import io.ordinal.security.tls.CertificateAuthority;
import io.ordinal.security.tls.TrustedCa;
import org.awaitility.core.ConditionTimeoutException;

import javax.net.SocketFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged application ({@code target/quarkus-app}) run as an all-in-one node in a JVM of its own,
 * with the production configuration plus a few overrides, spoken to with {@link RawHttp}, which sends
 * bytes exactly as given (no client library would send most of what the bad-input tests send).
 * With {@code ordinal.security.enabled=true} among the overrides, the node serves HTTPS only, with a
 * certificate made here (unless {@code ordinal.security.tls.dir} is given), and is spoken to over TLS.
 */
public record AllInOneNode(Process process, int port, Path log, SocketFactory sockets) implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** A body sent chunked goes in chunks of this size. */
    private static final int CHUNK = 8192;

    public static AllInOneNode start(Path dir, Map<String, String> overrides) {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run in the integration-test phase, after package");
        }
        try {
            Path data = dir.toAbsolutePath().resolve(UUID.randomUUID().toString());
            Files.createDirectories(data);
            int port = FreePorts.one();
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC",
                    "-Dordinal.role=all-in-one", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dordinal.cluster.raft-port=" + FreePorts.one(), "-Dordinal.replica.data-dir=" + data.resolve("data"),
                    "-Dordinal.raft.election-timeout-min=300ms", "-Dordinal.raft.election-timeout-max=600ms"));
            SocketFactory sockets = SocketFactory.getDefault();
            if ("true".equals(overrides.get("ordinal.security.enabled"))) {
                Path tls = overrides.containsKey("ordinal.security.tls.dir")
                        ? Path.of(overrides.get("ordinal.security.tls.dir")) : data.resolve("tls");
                if (!overrides.containsKey("ordinal.security.tls.dir")) {
                    CertificateAuthority.create("all-in-one test CA", Duration.ofDays(1))
                            .issue("localhost", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), tls);
                    cmd.add("-Dordinal.security.tls.dir=" + tls);
                }
                cmd.add("-Dquarkus.http.ssl-port=" + port);
                sockets = TrustedCa.sslContext(tls.resolve("ca.crt")).getSocketFactory();
            }
            overrides.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.addAll(List.of("-jar", jar.toString()));
            Path log = data.resolve("node.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            AllInOneNode node = new AllInOneNode(p, port, log, sockets);
            try {
                await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("the node exited " + p.exitValue() + "; see " + log);
                    }
                    return node.isReady();
                });
            } catch (ConditionTimeoutException e) {
                node.close();
                throw new IllegalStateException("the node was not ready within 120 s; see " + log, e);
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isReady() {
        return get("/q/health/ready").status() == 200;
    }

    public boolean isLive() {
        return get("/q/health/live").status() == 200;
    }

    public Answer get(String target) {
        try {
            return send(("GET " + target + " HTTP/1.1").getBytes(StandardCharsets.ISO_8859_1), List.of(), null, false);
        } catch (IOException e) {
            return new Answer(0, Map.of(), new byte[0]);
        }
    }

    /**
     * Sends one request on a fresh connection ({@code Connection: close}) and reads the whole answer.
     *
     * @param requestLine the request line's bytes, sent as they are
     * @param headers     header lines besides Host, Connection and the body's framing
     * @param body        the body, or null for none
     * @param chunked     send the body in chunks ({@code Transfer-Encoding: chunked}) instead of with a length
     */
    public Answer send(byte[] requestLine, List<String> headers, byte[] body, boolean chunked) throws IOException {
        return RawHttp.send(sockets, port, requestLine, headers, body, chunked ? CHUNK : 0);
    }

    public Socket connect() throws IOException {
        return RawHttp.connect(sockets, port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
