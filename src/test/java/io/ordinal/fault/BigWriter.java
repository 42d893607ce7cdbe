package io.ordinal.fault;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes large values (create-only, each to a key of its own) to fill disks quickly, remembers which
 * were acknowledged, and checks at the end that each of those reads back byte for byte. Its writes
 * are kept out of the checked history (their values are large); their keys are not the workload's.
 */
final class BigWriter {

    private final Service frontends;
    private final ApiClient api;
    private final String prefix;
    private final int valueBytes;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<String> acknowledged = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();
    private Thread thread;

    BigWriter(Service frontends, String prefix, int valueBytes) {
        this.frontends = frontends;
        this.api = new ApiClient(frontends, 0, Workload.REQUEST_TIMEOUT);
        this.prefix = prefix;
        this.valueBytes = valueBytes;
    }

    void start() {
        running.set(true);
        thread = new Thread(() -> {
            for (int i = 0; running.get(); i++) {
                String key = prefix + "/" + i;
                ApiClient.Answer a = api.send("PUT", key, value(key), Map.of("If-None-Match", "*"));
                synchronized (this) {
                    if (a.status() == 201) {
                        acknowledged.add(key);
                    } else if (a.status() != 0 && a.status() != 503 && a.status() < 500) {
                        unexpected.add("PUT " + key + " -> " + a.status() + " " + a.body());
                    }
                }
            }
        }, "big-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running.set(false);
        if (thread != null) {
            try {
                thread.join(Workload.REQUEST_TIMEOUT.plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized int acknowledgedCount() {
        return acknowledged.size();
    }

    /** @return what is wrong: an acknowledged value that does not read back as written, or an unexpected answer */
    List<String> problems() {
        List<String> problems;
        List<String> keys;
        synchronized (this) {
            problems = new ArrayList<>(unexpected);
            keys = List.copyOf(acknowledged);
        }
        ApiClient reader = new ApiClient(frontends, 1, Duration.ofSeconds(10));
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String key : keys) {
            ApiClient.Answer a = null;
            while (System.nanoTime() < until && (a == null || a.status() == 0 || a.status() == 503)) {
                a = reader.send("GET", key, null, Map.of());
            }
            if (a == null || a.status() == 0 || a.status() == 503) {
                problems.add("acknowledged " + key + " could not be read back within 60 s (" + (a == null ? "no time left" : a) + ")");
            } else if (a.status() != 200 || !value(key).equals(a.body())) {
                problems.add("acknowledged " + key + " (" + valueBytes + " bytes) reads back as " + a.status()
                        + (a.body() == null ? "" : " with " + a.body().getBytes(StandardCharsets.UTF_8).length + " bytes"));
            }
        }
        return problems;
    }

    /** Deletes the large values again (best effort), so that a long run does not fill the disks for good. */
    void deleteAll() {
        List<String> keys;
        synchronized (this) {
            keys = List.copyOf(acknowledged);
        }
        ApiClient deleter = new ApiClient(frontends, 0, Duration.ofSeconds(5));
        keys.forEach(key -> deleter.send("DELETE", key, null, Map.of()));
    }

    private String value(String key) {
        StringBuilder b = new StringBuilder(valueBytes);
        while (b.length() < valueBytes) {
            b.append(key).append('|');
        }
        b.setLength(valueBytes);
        return b.toString();
    }
}
