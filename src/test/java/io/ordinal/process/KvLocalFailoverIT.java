package io.ordinal.process;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real JVMs started by {@code bin/kv-local}, killed with SIGKILL while clients write through the
 * frontend: no acknowledged write is lost, none is applied twice, and killed pods come back as
 * themselves.
 */
class KvLocalFailoverIT {

    private static KvLocal cluster;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void up() {
        cluster = new KvLocal(Path.of("target/kv-local-it"));
        cluster.run("up");
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sigkillOfTheLeaderWhileClientsWriteLosesNoAcknowledgedWrite() throws Exception {
        String leader = awaitLeaderName();
        long oldPid = cluster.pod(leader).get("pid").asLong();

        Writers writers = new Writers("leader-kill");
        writers.start(4);
        writers.awaitAcknowledged(100);
        ProcessHandle.of(oldPid).orElseThrow().destroyForcibly();
        writers.markFault();
        writers.awaitAcknowledgedAfterFault(100);
        writers.stop();

        assertThat(writers.selfConflicts).as("create-only writes that answered 412 for their own success").isEmpty();
        assertThat(writers.unexpected).as("answers other than 201, 503 or a timeout").isEmpty();
        writers.assertEveryAcknowledgedWriteIsReadable();

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
        Writers writers = new Writers("all-killed");
        writers.start(2);
        writers.awaitAcknowledged(50);
        writers.stop();
        for (JsonNode pod : cluster.pods()) {
            if (pod.get("name").asText().startsWith("kv-store-")) {
                ProcessHandle.of(pod.get("pid").asLong()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        awaitLeaderName();
        writers.assertEveryAcknowledgedWriteIsReadable();
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

    private static String awaitLeaderName() {
        String[] leader = {null};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(cluster.endpoint() + "/v1/cluster")).GET());
            if (r == null || r.statusCode() != 200) {
                return false;
            }
            JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            leader[0] = status.get("leader").isNull() ? null : status.get("leader").asText();
            return leader[0] != null;
        });
        return leader[0];
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Clients that write unique keys, create-only, and remember what was acknowledged. */
    private static final class Writers {
        final String prefix;
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final List<String> selfConflicts = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicBoolean faulted = new AtomicBoolean();
        final AtomicInteger afterFault = new AtomicInteger();
        final List<Future<?>> threads = new ArrayList<>();
        ExecutorService pool;

        Writers(String prefix) {
            this.prefix = prefix;
        }

        void start(int n) {
            pool = Executors.newFixedThreadPool(n);
            for (int w = 0; w < n; w++) {
                int writer = w;
                threads.add(pool.submit(() -> {
                    for (int i = 0; running.get() && i < 100_000; i++) {
                        String key = prefix + "/" + writer + "/" + i;
                        String value = "v" + writer + "-" + i;
                        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(cluster.endpoint() + "/v1/kv/" + key))
                                .header("If-None-Match", "*")
                                .PUT(HttpRequest.BodyPublishers.ofString(value)));
                        if (r == null || r.statusCode() == 503) {
                            continue; // outcome unknown: may or may not have been applied
                        }
                        if (r.statusCode() == 201) {
                            acknowledged.put(key, value);
                            if (faulted.get()) {
                                afterFault.incrementAndGet();
                            }
                        } else if (r.statusCode() == 412) {
                            selfConflicts.add(key + ": " + r.body());
                        } else {
                            unexpected.add(key + ": " + r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
        }

        void awaitAcknowledged(int n) {
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= n);
        }

        void markFault() {
            faulted.set(true);
        }

        void awaitAcknowledgedAfterFault(int n) {
            await().atMost(Duration.ofSeconds(60)).until(() -> afterFault.get() >= n);
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> f : threads) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }

        void assertEveryAcknowledgedWriteIsReadable() {
            assertThat(acknowledged).isNotEmpty();
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                HttpResponse<String> r = null;
                for (int attempt = 0; attempt < 20 && (r == null || r.statusCode() == 503); attempt++) {
                    r = send(HttpRequest.newBuilder(URI.create(cluster.endpoint() + "/v1/kv/" + e.getKey())).GET());
                }
                assertThat(r).as(e.getKey()).isNotNull();
                assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
                assertThat(r.body()).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

}
