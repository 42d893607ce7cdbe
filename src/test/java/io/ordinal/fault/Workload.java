package io.ordinal.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.drill.Poll;
import io.ordinal.fault.ApiClient.Answer;
import io.ordinal.fault.ApiClient.Failure;
import io.ordinal.fault.Recorder.Kind;
import io.ordinal.history.Operation;
import io.ordinal.history.Request;
import io.ordinal.history.Response;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * C concurrent clients over K keys, each in a loop: linearizable reads, puts of unique values,
 * {@code If-Match} compare-and-swap on the last revision the client saw, create-only puts and
 * deletes (plain and conditional). Every request is recorded with its invocation and completion
 * ({@link System#nanoTime()}) and its outcome: ok, failed (a definite {@code 4xx}), or unknown
 * (timeout, broken connection, {@code 503}, {@code 5xx}).
 */
final class Workload {

    /** Relative weights of the kinds of request. */
    record Mix(int read, int put, int cas, int create, int delete, int deleteIfMatch) {
        static final Mix DEFAULT = new Mix(40, 20, 20, 10, 5, 5);

        Kind pick(Random random) {
            int total = read + put + cas + create + delete + deleteIfMatch;
            int r = random.nextInt(total);
            if ((r -= read) < 0) {
                return Kind.READ;
            } else if ((r -= put) < 0) {
                return Kind.PUT;
            } else if ((r -= cas) < 0) {
                return Kind.CAS;
            } else if ((r -= create) < 0) {
                return Kind.CREATE;
            } else if (r - delete < 0) {
                return Kind.DELETE;
            }
            return Kind.DELETE_IF_MATCH;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Recorder recorder;
    private final Service frontends;
    private final List<String> keys;
    private final int clients;
    private final long seed;
    private final Mix mix;
    private final Duration think;
    private final ClientThreads threads = new ClientThreads("workload-client");

    /** @param think how long each client waits after each request (0: a closed loop at full speed) */
    Workload(Recorder recorder, Service frontends, List<String> keys, int clients, long seed, Mix mix, Duration think) {
        this.recorder = recorder;
        this.frontends = frontends;
        this.keys = List.copyOf(keys);
        this.clients = clients;
        this.seed = seed;
        this.mix = mix;
        this.think = think;
    }

    void start() {
        threads.start(clients, seed, (c, random) -> new Client(c, random)::loop);
    }

    /** Stops the clients and waits for their last requests (each ends within the request timeout). */
    void stop() {
        threads.stop();
    }

    /**
     * One linearizable read of every key, recorded like any other, tried again (a new operation) until
     * one is definite: the last word on each key for the checker and for {@link io.ordinal.history.LostWrites}.
     *
     * @return the keys that no read could reach before the timeout
     */
    List<String> finalReads(Duration timeout) {
        Client client = new Client(clients, new Random(seed));
        long until = System.nanoTime() + timeout.toNanos();
        List<String> unread = new ArrayList<>();
        for (String key : keys) {
            boolean definite = false;
            while (!definite && System.nanoTime() < until) {
                definite = client.read(key);
                if (!definite) {
                    Poll.hold(Duration.ofMillis(200));
                }
            }
            if (!definite) {
                unread.add(key);
            }
        }
        return unread;
    }

    private final class Client {
        private final int id;
        private final Random random;
        private final ApiClient api;
        /** The last revision this client saw per key: 0 absent, -1 unknown. */
        private final Map<String, Long> seen = new HashMap<>();
        private int sequence;

        Client(int id, Random random) {
            this.id = id;
            this.random = random;
            this.api = new ApiClient(frontends, id, REQUEST_TIMEOUT);
        }

        void loop() {
            while (threads.running()) {
                String key = keys.get(random.nextInt(keys.size()));
                switch (mix.pick(random)) {
                    case READ -> read(key);
                    case PUT -> put(key);
                    case CAS -> cas(key);
                    case CREATE -> create(key);
                    case DELETE -> delete(key);
                    case DELETE_IF_MATCH -> deleteIfMatch(key);
                }
                if (!think.isZero()) {
                    Poll.hold(think);
                }
            }
        }

        private String nextValue() {
            return "c" + id + "-" + (++sequence);
        }

        /** @return whether the outcome is definite */
        boolean read(String key) {
            long invoked = System.nanoTime();
            Answer a = api.send("GET", key, null, Map.of());
            Response response;
            long revision = a.etag() == null ? -1 : etag(a.etag());
            if (a.status() == 200 && revision > 0) {
                response = new Response.Found(a.body(), revision);
                seen.put(key, revision);
            } else if (a.status() == 404) {
                response = new Response.NotFound();
                seen.put(key, 0L);
            } else {
                response = unknown(key, "GET", a, a.status() == 200);
            }
            record(key, invoked, new Request.Read(), response, Kind.READ, a);
            return !(response instanceof Response.Unknown);
        }

        void put(String key) {
            String value = nextValue();
            write(key, Kind.PUT, new Request.Put(value), "PUT", value, Map.of());
        }

        void cas(String key) {
            long revision = seen.getOrDefault(key, -1L);
            if (revision <= 0) {
                create(key);
                return;
            }
            String value = nextValue();
            write(key, Kind.CAS, new Request.PutIfMatch(value, revision), "PUT", value, Map.of("If-Match", "\"" + revision + "\""));
        }

        void create(String key) {
            String value = nextValue();
            write(key, Kind.CREATE, new Request.Create(value), "PUT", value, Map.of("If-None-Match", "*"));
        }

        void delete(String key) {
            write(key, Kind.DELETE, new Request.Delete(), "DELETE", null, Map.of());
        }

        void deleteIfMatch(String key) {
            long revision = seen.getOrDefault(key, -1L);
            if (revision <= 0) {
                read(key);
                return;
            }
            write(key, Kind.DELETE_IF_MATCH, new Request.DeleteIfMatch(revision), "DELETE", null,
                    Map.of("If-Match", "\"" + revision + "\""));
        }

        private void write(String key, Kind kind, Request request, String method, String body, Map<String, String> headers) {
            long invoked = System.nanoTime();
            Answer a = api.send(method, key, body, headers);
            boolean conditional = kind == Kind.CAS || kind == Kind.CREATE || kind == Kind.DELETE_IF_MATCH;
            Response response;
            int s = a.status();
            if (method.equals("PUT") && (s == 200 || s == 201)) {
                response = written(key, a);
            } else if (method.equals("DELETE") && s == 204) {
                response = new Response.Deleted();
                seen.put(key, -1L);
            } else if (s == 412 && conditional) {
                long current = field(a.body(), "currentRevision");
                response = current >= 0 ? new Response.PreconditionFailed(current) : unknown(key, method, a, true);
                seen.put(key, Math.max(current, 0));
            } else if (s == 404 && kind == Kind.DELETE) {
                response = new Response.NotFound();
                seen.put(key, 0L);
            } else {
                response = unknown(key, method, a, s != 0 && s != 503 && s < 500);
            }
            record(key, invoked, request, response, kind, a);
        }

        private Response written(String key, Answer a) {
            long revision = field(a.body(), "revision");
            long previous = field(a.body(), "previousRevision");
            if (revision <= 0 || previous < 0) {
                return unknown(key, "PUT", a, true);
            }
            seen.put(key, revision);
            return new Response.Written(revision, previous);
        }

        /** An outcome the client cannot know; {@code unexpected} if the API should never have said it. */
        private Response unknown(String key, String method, Answer a, boolean unexpected) {
            if (unexpected) {
                recorder.unexpected(method + " " + key + " -> " + a.status() + " " + a.body());
            }
            seen.put(key, -1L);
            return new Response.Unknown();
        }

        private void record(String key, long invoked, Request request, Response response, Kind kind, Answer a) {
            long completed = System.nanoTime();
            recorder.record(new Recorder.Entry(new Operation(id, key, invoked, completed, request, response),
                    kind, a.status(), a.failure(), a.error(), a.frontend()));
        }
    }

    static long etag(String etag) {
        String t = etag.strip();
        if (t.length() < 3 || t.charAt(0) != '"' || t.charAt(t.length() - 1) != '"') {
            return -1;
        }
        try {
            return Long.parseLong(t.substring(1, t.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A numeric member of a JSON body, or -1. */
    static long field(String body, String name) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.path(name).isIntegralNumber() ? n.get(name).asLong() : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Failures that are not a cut connection, timeouts included: what a client would call an error. */
    static boolean isClientVisibleError(Recorder.Entry e) {
        return e.op().isUnknown() && e.failure() != Failure.CUT;
    }
}
