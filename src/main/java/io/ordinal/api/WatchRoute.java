package io.ordinal.api;

import io.ordinal.command.Change;
import io.ordinal.config.OrdinalConfig;
import io.ordinal.client.KvClient;
import io.ordinal.client.Watcher;
import io.ordinal.client.Watcher.Position;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * {@code GET /v1/watch?key=k} or {@code ?prefix=p}: changes as Server-Sent Events, one event per
 * change: {@code id} is its place in the stream ({@link EventIds}), {@code data} is
 * {@code {"type","key","value"(puts),"modRevision"}}.
 * A Vert.x route rather than a JAX-RS resource, to answer problems (400, 410, 503) before the stream
 * starts and to write the stream with backpressure. Translation only: the cursor, the polls and the
 * failover from replica to replica are {@link Watcher}'s.
 *
 * <p>Nothing here blocks the event loop: each poll is asynchronous, and its answer is written on the
 * request's own context. The next poll is sent only once the client has taken what was written (the
 * connection's send buffer drained), so a slow client holds at most one batch in the frontend; one that
 * takes nothing for {@code ordinal.watch.slow-consumer-timeout} gets an {@code overflow} event and the
 * stream ends (it resumes with {@code Last-Event-ID}).
 */
@ApplicationScoped
class WatchRoute {

    static final String PATH = "/v1/watch";
    static final String METHODS = "GET, HEAD";
    private static final Logger LOG = Logger.getLogger(WatchRoute.class);

    private final KvClient client;
    private final int batchBytes;
    private final Duration heartbeat;
    private final Duration slowConsumerTimeout;

    @Inject
    WatchRoute(KvClient client, OrdinalConfig config) {
        this.client = client;
        this.batchBytes = config.watch().batchBytes();
        this.heartbeat = config.watch().heartbeat();
        this.slowConsumerTimeout = config.watch().slowConsumerTimeout();
    }

    void register(@Observes Router router) {
        router.route(PATH).order(-1).handler(this::handle);
    }

    /** What to watch, from where (null: from now). */
    record Spec(byte[] key, boolean prefix, Position from) {
    }

    void handle(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        HttpServerResponse response = routing.response();
        String method = request.method().name();
        if (Routes.refusedMethod(request, METHODS)) {
            return;
        }
        Spec spec;
        try {
            spec = parse(request);
        } catch (ApiException e) {
            ProblemMapper.answer(request, e);
            return;
        }
        Context context = Vertx.currentContext();
        // "From now" is the first revision after the store's linearizable revision; an explicit start
        // older than the history is refused before the stream starts.
        client.storeStatus().whenComplete((status, error) -> context.runOnContext(v -> {
            if (response.closed()) {
                return;
            }
            if (error != null) {
                ProblemMapper.answer(request, error);
                return;
            }
            Position from = spec.from() != null ? spec.from() : Position.at(status.revision() + 1);
            if (from.revision() < status.oldestRevision()) {
                ProblemMapper.answer(request, ApiException.gone(from.revision(), status.oldestRevision()));
                return;
            }
            response.setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
            if (method.equals("HEAD")) {
                response.end();
                return;
            }
            response.setChunked(true);
            response.writeHead();
            new Stream(context, response, client.watch(spec.key(), spec.prefix(), from, batchBytes), from).start();
        }));
    }

    static Spec parse(HttpServerRequest request) {
        QueryParams params = QueryParams.of(request);
        byte[] key = params.keyBytes("key");
        byte[] prefix = params.keyBytes("prefix");
        if ((key == null) == (prefix == null)) {
            throw ApiException.badRequest("bad-parameter", "give exactly one of key (one key) or prefix (every key "
                    + "that starts with it; an empty prefix is every key)");
        }
        if (key != null) {
            Keys.validate(key, "key");
        }
        long fromRevision = params.positiveLong("fromRevision");
        Position from = fromRevision > 0 ? Position.at(fromRevision) : null;
        String lastEventId = request.getHeader("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isBlank()) {
            // A reconnecting EventSource: go on with the first change after the last one it received.
            from = EventIds.resumeAfter(lastEventId);
        }
        return new Spec(key != null ? key : prefix, prefix != null, from);
    }

    /** One open stream: polls, writes, heartbeats, and its end. */
    private final class Stream {
        private final Context context;
        private final HttpServerResponse response;
        private final Watcher watcher;
        private long heartbeatTimer = -1;
        private long stallTimer = -1;
        private long lastRevision;
        private String lastEventId;
        private boolean closed;

        Stream(Context context, HttpServerResponse response, Watcher watcher, Position from) {
            this.context = context;
            this.response = response;
            this.watcher = watcher;
            this.lastEventId = EventIds.of(from);
        }

        void start() {
            response.closeHandler(v -> close());
            heartbeatTimer = context.owner().setPeriodic(heartbeat.toMillis(), t -> {
                if (!closed && !response.writeQueueFull()) {
                    response.write(": keepalive\n\n");
                }
            });
            poll();
        }

        private void poll() {
            if (closed) {
                return;
            }
            watcher.next().whenComplete((batch, error) -> context.runOnContext(v -> {
                if (closed) {
                    return;
                }
                if (error != null) {
                    LOG.warnf("a watch ends: %s", error.getMessage());
                    end("error", new JsonObject().put("type", "error").put("lastRevision", lastRevision)
                            .put("lastEventId", lastEventId).put("detail", "no replica answered; resume with Last-Event-ID"));
                    return;
                }
                if (batch.compacted()) {
                    end("compacted", new JsonObject().put("type", "compacted").put("lastRevision", lastRevision)
                            .put("lastEventId", lastEventId).put("oldestRevision", batch.oldestRevision()));
                    return;
                }
                if (!batch.watched().isEmpty()) {
                    Buffer events = Buffer.buffer();
                    for (Watcher.Watched watched : batch.watched()) {
                        lastEventId = EventIds.of(watched.after());
                        events.appendString(event(watched.change(), lastEventId));
                        lastRevision = watched.change().modRevision();
                    }
                    // One write per batch. A revision can still span two batches: its ids say where.
                    response.write(events);
                }
                if (response.writeQueueFull()) {
                    stallTimer = context.owner().setTimer(slowConsumerTimeout.toMillis(), t -> overflow());
                    response.drainHandler(d -> {
                        context.owner().cancelTimer(stallTimer);
                        response.drainHandler(null);
                        poll();
                    });
                } else {
                    poll();
                }
            }));
        }

        private void overflow() {
            if (closed) {
                return;
            }
            end("overflow", new JsonObject().put("type", "overflow").put("lastRevision", lastRevision)
                    .put("lastEventId", lastEventId));
            // The client is not reading: do not wait for it to take the last event.
            context.owner().setTimer(5000, t -> {
                try {
                    response.reset();
                } catch (RuntimeException ignored) {
                    // already gone
                }
            });
        }

        private void end(String event, JsonObject data) {
            response.end("event: " + event + "\ndata: " + data.encode() + "\n\n");
            close();
        }

        private void close() {
            closed = true;
            context.owner().cancelTimer(heartbeatTimer);
            if (stallTimer >= 0) {
                context.owner().cancelTimer(stallTimer);
            }
        }
    }

    /** One change as an SSE event: its place in the stream as the id, the change as JSON data. */
    static String event(Change change, String id) {
        JsonObject data = new JsonObject()
                .put("type", change.type() == Change.Type.PUT ? "put" : "delete")
                .put("key", new String(change.key(), StandardCharsets.UTF_8));
        if (change.type() == Change.Type.PUT) {
            data.put("value", Base64.getEncoder().encodeToString(change.value()));
        }
        data.put("modRevision", change.modRevision());
        return "id: " + id + "\ndata: " + data.encode() + "\n\n";
    }
}
