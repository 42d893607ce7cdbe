package io.ordinal.api;

import io.ordinal.command.Command;
import io.ordinal.config.OrdinalConfig;
import io.ordinal.command.Precondition;
import io.ordinal.command.WriteResult;
import io.ordinal.client.Consistency;
import io.ordinal.client.KvClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * GET, PUT and DELETE of one key — what they mean, apart from the HTTP plumbing of {@link KeyRoute},
 * which carries them (a HEAD is a GET). Reads the raw request, sends a command or a read
 * to the cluster, and says what to answer. Input that is refused throws {@link ApiException} at once;
 * the cluster's refusals (a failed condition, an absent key) complete the answer exceptionally with one.
 */
@Singleton
final class KeyRequests {

    static final String JSON = "application/json";
    static final String OCTET_STREAM = "application/octet-stream";

    /** What to answer: a status, the {@code ETag} revision (0: none), and a body of the given type (or none). */
    record Answer(int status, long etag, String contentType, byte[] body) {
    }

    private final KvClient client;
    private final int maxValueBytes;

    @Inject
    KeyRequests(KvClient client, OrdinalConfig config) {
        this.client = client;
        this.maxValueBytes = config.api().maxValueBytes();
    }

    int maxValueBytes() {
        return maxValueBytes;
    }

    /** {@code PUT /v1/kv/{key}}: 201 created or 200 replaced, with the revision; If-Match, If-None-Match, ?lease. */
    CompletableFuture<Answer> put(HttpServerRequest request, byte[] value) {
        byte[] key = Keys.fromRawPath(request.path());
        if (value.length > maxValueBytes) {
            throw ApiException.tooLarge("the value is " + value.length + " bytes; the limit is "
                    + maxValueBytes + " bytes", maxValueBytes);
        }
        Precondition condition = Conditions.forPut(header(request, "If-Match"), header(request, "If-None-Match"));
        long lease = QueryParams.of(request).positiveLong("lease");
        String keyText = Keys.utf8(key, "key");
        return client.write(new Command.Put(key, value, condition, lease)).thenApply(result -> {
            if (result.outcome() == WriteResult.Outcome.PRECONDITION_FAILED) {
                throw Conditions.failed(keyText, result.previousRevision());
            }
            if (result.outcome() == WriteResult.Outcome.LEASE_NOT_FOUND) {
                throw ApiException.leaseNotFound(lease);
            }
            if (result.outcome() == WriteResult.Outcome.LEASE_FULL) {
                throw ApiException.leaseFull(lease);
            }
            int status = result.outcome() == WriteResult.Outcome.CREATED ? 201 : 200;
            byte[] body = new JsonObject().put("key", keyText).put("revision", result.revision())
                    .put("previousRevision", result.previousRevision()).toBuffer().getBytes();
            return new Answer(status, result.revision(), JSON, body);
        });
    }

    /** {@code GET /v1/kv/{key}}: the value's bytes; ?consistency; If-Match (412), If-None-Match (304). */
    CompletableFuture<Answer> get(HttpServerRequest request) {
        byte[] key = Keys.fromRawPath(request.path());
        Consistency consistency = QueryParams.of(request).consistency();
        Precondition ifMatch = Conditions.forGet(header(request, "If-Match"));
        String ifNoneMatch = header(request, "If-None-Match");
        return client.get(key, consistency).thenApply(found -> {
            long modRevision = found == null ? 0 : found.modRevision();
            if (!ifMatch.holds(modRevision)) {
                throw Conditions.failed(Keys.utf8(key, "key"), modRevision);
            }
            if (found == null) {
                throw ApiException.notFound("key '" + Keys.utf8(key, "key") + "' does not exist");
            }
            if (ifNoneMatch != null && Conditions.matchesAny(ifNoneMatch, found.modRevision())) {
                return new Answer(304, found.modRevision(), null, null);
            }
            return new Answer(200, found.modRevision(), OCTET_STREAM, found.value());
        });
    }

    /** {@code DELETE /v1/kv/{key}}: 204, or 404 when absent; If-Match. */
    CompletableFuture<Answer> delete(HttpServerRequest request) {
        byte[] key = Keys.fromRawPath(request.path());
        Precondition condition = Conditions.forDelete(header(request, "If-Match"), header(request, "If-None-Match"));
        String keyText = Keys.utf8(key, "key");
        return client.write(new Command.Delete(key, condition)).thenApply(result -> switch (result.outcome()) {
            case DELETED -> new Answer(204, 0, null, null);
            case NOT_FOUND -> throw ApiException.notFound("key '" + keyText + "' does not exist");
            case PRECONDITION_FAILED -> throw Conditions.failed(keyText, result.previousRevision());
            default -> throw new IllegalStateException("unexpected outcome of a delete: " + result.outcome());
        });
    }

    /** A request header, its repeated values joined with commas (RFC 9110 §5.3); null when absent. */
    static String header(HttpServerRequest request, String name) {
        List<String> values = request.headers().getAll(name);
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(",", values);
    }
}
