package io.ordinal.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordinal.drill.ClusterProbe;
import io.ordinal.drill.CreateOnlyWriters;
import io.ordinal.security.tls.TrustedCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.ordinal.process.WriterChecks.assertEveryAcknowledgedWriteIsReadable;
import static io.ordinal.process.WriterChecks.assertNoWriteAppliedTwiceOrRefused;
import static io.ordinal.process.WriterChecks.awaitAcknowledged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Real JVMs started by {@code bin/kv-local}, killed with SIGKILL while clients write through the
 * frontend: no acknowledged write is lost, none is applied twice, and killed pods come back as
 * themselves.
 */
class KvLocalFailoverIT {

    private static KvLocal cluster;

    @BeforeAll
    static void up() {
        cluster = new KvLocal(Path.of("target/kv-local-it"), 1, Map.of(), KvLocal.SECURE);
        cluster.up();
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void podsStartFromTheClassDataArchiveAndReplicasFromTheKeptRocksDbLibrary() throws Exception {
        String replica = awaitLeaderName();
        List<String> replicaMaps = java.nio.file.Files.readAllLines(
                Path.of("/proc/" + cluster.pod(replica).get("pid").asLong() + "/maps"));
        List<String> frontendMaps = java.nio.file.Files.readAllLines(
                Path.of("/proc/" + cluster.pod("kv-frontend-0").get("pid").asLong() + "/maps"));

        // RocksDB's native library: the copy kept across starts, not one RocksJava unpacked afresh
        assertThat(replicaMaps.stream().filter(line -> line.contains("rocksdbjni")))
                .isNotEmpty().allMatch(line -> line.contains("/ordinal-rocksdbjni-"));
        // the application's classes: kv-local's archive, made by its training run (AppCDS)
        assertThat(replicaMaps).anyMatch(line -> line.endsWith("/kv-local-cds.jsa"));
        assertThat(frontendMaps).anyMatch(line -> line.endsWith("/kv-local-cds.jsa"));
    }

    @Test
    void sigkillOfTheLeaderWhileClientsWriteLosesNoAcknowledgedWrite() throws Exception {
        String leader = awaitLeaderName();
        long oldPid = cluster.pod(leader).get("pid").asLong();

        CreateOnlyWriters writers = new CreateOnlyWriters(URI.create(cluster.endpoint()), "leader-kill", cluster.access());
        writers.start(4, 0);
        awaitAcknowledged(writers, 100);
        ProcessHandle.of(oldPid).orElseThrow().destroyForcibly();
        writers.mark();
        awaitAcknowledged(writers, 100);
        writers.stop();

        assertNoWriteAppliedTwiceOrRefused(writers);
        assertEveryAcknowledgedWriteIsReadable(writers);

        // The killed pod is started again as itself: same name, new JVM, and it rejoins the group.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode pod = cluster.pod(leader);
            assertThat(pod.get("pid").asLong()).isNotEqualTo(oldPid).isPositive();
            assertThat(pod.get("ready").asBoolean()).isTrue();
            assertThat(pod.get("role").asText()).isIn("LEADER", "FOLLOWER");
        });
    }

    @Test
    void sigkillOfEveryReplicaAtOnceLosesNoAcknowledgedWrite() throws Exception {
        CreateOnlyWriters writers = new CreateOnlyWriters(URI.create(cluster.endpoint()), "all-killed", cluster.access());
        writers.start(2, 0);
        awaitAcknowledged(writers, 50);
        writers.stop();
        for (JsonNode pod : cluster.pods()) {
            if (pod.get("name").asText().startsWith("kv-store-")) {
                ProcessHandle.of(pod.get("pid").asLong()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        awaitLeaderName();
        assertEveryAcknowledgedWriteIsReadable(writers);
    }

    @Test
    void deletePodKillsAnyPodByNameAndItComesBackAsItself() {
        for (String name : List.of("kv-store-0", "kv-store-2", "kv-frontend-0")) {
            JsonNode before = cluster.pod(name);
            long oldPid = before.get("pid").asLong();
            String output = cluster.run("delete-pod", name);
            assertThat(output).contains("SIGKILL to pid " + oldPid);
            await("the old JVM of " + name + " is gone").atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.of(oldPid).map(h -> !h.isAlive()).orElse(true));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode pod = cluster.pod(name);
                assertThat(pod.get("pid").asLong()).isNotEqualTo(oldPid).isPositive();
                assertThat(pod.get("ready").asBoolean()).isTrue();
                assertThat(pod.get("http").asText()).isEqualTo(before.get("http").asText());
                if (before.has("dataDir")) {
                    assertThat(pod.get("dataDir").asText()).isEqualTo(before.get("dataDir").asText());
                    assertThat(pod.get("raft").asText()).isEqualTo(before.get("raft").asText());
                }
            });
        }
    }

    /**
     * security-v1.md "Modes" on the cluster of this class, when it runs secure: the files {@code up --secure}
     * made and their modes, https URLs, a certificate that verifies against ca.crt for localhost and
     * 127.0.0.1, tokens required, no plain listener; and a running secure cluster is not switched in place.
     */
    @Test
    void upSecureServesOnlyHttpsVerifiedAgainstItsCaWithTheRootToken() throws Exception {
        Assumptions.assumeTrue(KvLocal.SECURE, "the cluster of this run is plain (-Dordinal.it.secure=false)");
        Path home = cluster.home();
        Path ca = home.resolve("tls/ca.crt");
        assertThat(ca).content().startsWith("-----BEGIN CERTIFICATE-----");
        for (Path secret : List.of(home.resolve("tls/ca.key"), home.resolve("root-token"), home.resolve("tls/kv-frontend-0/tls.key"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).as(secret.toString()).isEqualTo("rw-------");
        }
        String token = Files.readString(home.resolve("root-token")).strip();
        assertThat(token).matches("[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}");
        assertThat(cluster.pods()).allSatisfy(pod -> assertThat(pod.get("http").asText()).startsWith("https://127.0.0.1:"));

        HttpClient client = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(ca)).build();
        int port = URI.create(cluster.endpoint()).getPort();
        for (String host : List.of("localhost", "127.0.0.1")) {
            URI base = URI.create("https://" + host + ":" + port);
            assertThat(client.send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as(host).isEqualTo(200);
            HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(base.resolve("/v1/cluster")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(client.send(HttpRequest.newBuilder(base.resolve("/v1/cluster")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }

        // Nothing on the plain port, and plain HTTP on the HTTPS port gets no HTTP answer.
        assertThatThrownBy(() -> new Socket("127.0.0.1", cluster.plainPort()).close()).isInstanceOf(ConnectException.class);
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.setSoTimeout(5_000);
            plain.getOutputStream().write("GET /q/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[5];
            int n;
            try {
                n = plain.getInputStream().readNBytes(answer, 0, 5);
            } catch (SocketTimeoutException | SocketException e) {
                n = 0;
            }
            assertThat(new String(answer, 0, n, StandardCharsets.US_ASCII)).isNotEqualTo("HTTP/");
        }

        assertThatThrownBy(() -> cluster.run("up")).hasMessageContaining("runs with --secure");
    }

    private static String awaitLeaderName() {
        return new ClusterProbe(Duration.ofSeconds(10), cluster.access()).awaitLeaderName(URI.create(cluster.endpoint()), Duration.ofSeconds(90))
                .orElseThrow(() -> new AssertionError("no leader within 90 s"));
    }
}
