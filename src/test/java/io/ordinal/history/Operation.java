package io.ordinal.history;

import io.ordinal.history.Request.Create;
import io.ordinal.history.Request.Delete;
import io.ordinal.history.Request.DeleteIfMatch;
import io.ordinal.history.Request.Put;
import io.ordinal.history.Request.PutIfMatch;
import io.ordinal.history.Request.Read;
import io.ordinal.history.Response.Deleted;
import io.ordinal.history.Response.Found;
import io.ordinal.history.Response.NotFound;
import io.ordinal.history.Response.PreconditionFailed;
import io.ordinal.history.Response.Unknown;
import io.ordinal.history.Response.Written;

import java.util.Objects;

/**
 * One request of one client on one key, as the client saw it: when it was invoked and when its
 * response arrived ({@link System#nanoTime()}, the same clock for every client of a history), and the
 * response. For an {@link Outcome#UNKNOWN} operation {@code completedAt} is when the client gave up;
 * the checker ignores it, because the write may still take effect later.
 */
public record Operation(int client, String key, long invokedAt, long completedAt, Request request, Response response) {

    public Operation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        if (completedAt < invokedAt) {
            throw new IllegalArgumentException("completed (" + completedAt + ") before invoked (" + invokedAt + "): " + request);
        }
        if (!canAnswer(request, response)) {
            throw new IllegalArgumentException("the API never answers " + request + " with " + response);
        }
    }

    public Outcome outcome() {
        if (response instanceof Unknown) {
            return Outcome.UNKNOWN;
        }
        if (response instanceof PreconditionFailed || (response instanceof NotFound && request instanceof Delete)) {
            return Outcome.FAILED;
        }
        return Outcome.OK;
    }

    public boolean isUnknown() {
        return response instanceof Unknown;
    }

    /** @return the revision this operation's response says it wrote, or 0 when it does not say */
    public long writtenRevision() {
        return response instanceof Written written ? written.revision() : 0;
    }

    /** A one-line description for reports, e.g. {@code client 3 put(k, "v7") -> written revision=15 previousRevision=12 [100..250]}. */
    public String describe() {
        return "client " + client + " " + describeRequest() + " -> " + describeResponse()
                + " [" + invokedAt + ".." + (isUnknown() ? "?" : String.valueOf(completedAt)) + "]";
    }

    private String describeRequest() {
        String k = quote(key);
        if (request instanceof Read) {
            return "read(" + k + ")";
        } else if (request instanceof Put put) {
            return "put(" + k + ", " + quote(put.value()) + ")";
        } else if (request instanceof PutIfMatch cas) {
            return "put(" + k + ", " + quote(cas.value()) + ", If-Match " + cas.revision() + ")";
        } else if (request instanceof Create create) {
            return "put(" + k + ", " + quote(create.value()) + ", If-None-Match *)";
        } else if (request instanceof Delete) {
            return "delete(" + k + ")";
        } else {
            return "delete(" + k + ", If-Match " + ((DeleteIfMatch) request).revision() + ")";
        }
    }

    private String describeResponse() {
        if (response instanceof Found found) {
            return "found " + quote(found.value()) + " modRevision=" + found.modRevision();
        } else if (response instanceof NotFound) {
            return "404";
        } else if (response instanceof Written written) {
            return "written revision=" + written.revision() + " previousRevision=" + written.previousRevision();
        } else if (response instanceof Deleted) {
            return "204";
        } else if (response instanceof PreconditionFailed failed) {
            return "412 currentRevision=" + failed.currentRevision();
        } else {
            return "unknown";
        }
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }

    private static boolean canAnswer(Request request, Response response) {
        if (response instanceof Unknown) {
            return true;
        }
        if (request instanceof Read) {
            return response instanceof Found || response instanceof NotFound;
        } else if (request instanceof Put) {
            return response instanceof Written;
        } else if (request instanceof PutIfMatch || request instanceof Create) {
            return response instanceof Written || response instanceof PreconditionFailed;
        } else if (request instanceof Delete) {
            return response instanceof Deleted || response instanceof NotFound;
        } else {
            return response instanceof Deleted || response instanceof PreconditionFailed;
        }
    }
}
