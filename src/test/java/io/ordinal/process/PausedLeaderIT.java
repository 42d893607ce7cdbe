package io.ordinal.process;

import io.ordinal.drill.Answers;
import io.ordinal.drill.ClusterProbe;
import io.ordinal.drill.Signals;
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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
/**
 * A leader that hangs (SIGSTOP, as a long GC pause would) must not hold up the frontend for longer than
 * the other replicas need to elect a new one: requests that begin once the new leader had time to take
 * over are answered by it, quickly, while the old one is still stopped.
 */
class PausedLeaderIT {

    /** How long the leader stays stopped. */
    private static final Duration PAUSE = Duration.ofSeconds(8);
    /** An election (timeouts of 1-2 s in bin/kv-local) and then some: requests begun after this are judged. */
    private static final Duration TAKEOVER = Duration.ofSeconds(3);
    /** How long one such request may take: about an election timeout, not the old leader's hang. */
    private static final Duration PROMPT = Duration.ofMillis(1500);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static KvLocal cluster;

    /** One request through the frontend: when it began (since the pause began), how long it took, its status (0: none). */
    record Call(String what, long startedMs, long tookMs, int status) {
    }

    @BeforeAll
    static void up() {
        cluster = new KvLocal(Path.of("target/kv-local-paused-it"));
        cluster.run("up");
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void readsAndWritesFollowTheNewLeaderWhileTheOldOneHangs() throws Exception {
        String leader = awaitLeaderName();
        long pid = cluster.pod(leader).get("pid").asLong();
        String endpoint = cluster.endpoint();
        assertThat(put(endpoint, "paused/warm-up", System.nanoTime()).status()).isEqualTo(200);
        assertThat(get(endpoint, "paused/warm-up", System.nanoTime()).status()).isEqualTo(200);

        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        long pausedAt = System.nanoTime();
        Signals.stop(pid);
        try {
            long endAt = pausedAt + PAUSE.toNanos() - PROMPT.toNanos(); // every call judged ends before the resume
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                boolean writer = c % 2 == 0;
                int client = c;
                running.add(clients.submit(() -> {
                    for (int i = 0; System.nanoTime() < endAt; i++) {
                        String key = "paused/" + client + "/" + i;
                        calls.add(writer ? put(endpoint, key, pausedAt) : get(endpoint, "paused/warm-up", pausedAt));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(PAUSE.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            }
        } finally {
            Signals.resume(pid);
            clients.shutdownNow();
        }

        List<Call> judged = calls.stream().filter(c -> c.startedMs() >= TAKEOVER.toMillis()).toList();
        for (String what : List.of("PUT", "GET")) {
            List<Call> these = judged.stream().filter(c -> c.what().startsWith(what)).toList();
            System.out.printf("%s begun %d ms or more into the pause: %d, the slowest %d ms; all during the pause: %d%n",
                    what, TAKEOVER.toMillis(), these.size(), these.stream().mapToLong(Call::tookMs).max().orElse(0),
                    calls.stream().filter(c -> c.what().startsWith(what)).count());
        }
        assertThat(judged).as("requests begun %d ms or more after %s was stopped", TAKEOVER.toMillis(), leader)
                .allSatisfy(c -> {
                    assertThat(c.status()).as("%s", c).isEqualTo(200);
                    assertThat(c.tookMs()).as("%s", c).isLessThanOrEqualTo(PROMPT.toMillis());
                });
        // and there were such requests: clients were not stuck in earlier ones for the whole pause
        assertThat(judged.stream().filter(c -> c.what().startsWith("PUT"))).as("writes judged").hasSizeGreaterThan(3);
        assertThat(judged.stream().filter(c -> c.what().startsWith("GET"))).as("reads judged").hasSizeGreaterThan(3);
    }

    /** A PUT, its start counted from {@code origin} (a System.nanoTime()). */
    private static Call put(String endpoint, String key, long origin) {
        return timed("PUT " + key, HttpRequest.newBuilder(URI.create(endpoint + "/v1/kv/" + key))
                .PUT(HttpRequest.BodyPublishers.ofString("v")), origin);
    }

    private static Call get(String endpoint, String key, long origin) {
        return timed("GET " + key, HttpRequest.newBuilder(URI.create(endpoint + "/v1/kv/" + key)).GET(), origin);
    }

    private static Call timed(String what, HttpRequest.Builder request, long origin) {
        long start = System.nanoTime();
        HttpResponse<String> r = Answers.of(HTTP, request.timeout(Duration.ofSeconds(10)).build());
        int status = r == null ? 0 : r.statusCode();
        // a create answers 201; a read or an overwrite 200: both are "answered"
        return new Call(what, ms(start - origin), ms(System.nanoTime() - start), status == 201 ? 200 : status);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String awaitLeaderName() {
        return new ClusterProbe(Duration.ofSeconds(10)).awaitLeaderName(URI.create(cluster.endpoint()), Duration.ofSeconds(90))
                .orElseThrow(() -> new AssertionError("no leader within 90 s"));
    }
}
