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

/**
 * Terse operations for hand-written histories in tests: {@code put(client, from, to, key, value,
 * revision, previousRevision)}. An {@code ...Unknown} operation gives up ten time units after its
 * invocation (the checker ignores when).
 */
final class Ops {

    private Ops() {
    }

    static Operation read(int client, long from, long to, String key, String value, long modRevision) {
        return new Operation(client, key, from, to, new Read(), new Found(value, modRevision));
    }

    static Operation readAbsent(int client, long from, long to, String key) {
        return new Operation(client, key, from, to, new Read(), new NotFound());
    }

    static Operation readUnknown(int client, long from, String key) {
        return new Operation(client, key, from, from + 10, new Read(), new Unknown());
    }

    static Operation put(int client, long from, long to, String key, String value, long revision, long previousRevision) {
        return new Operation(client, key, from, to, new Put(value), new Written(revision, previousRevision));
    }

    static Operation putUnknown(int client, long from, String key, String value) {
        return new Operation(client, key, from, from + 10, new Put(value), new Unknown());
    }

    /** An If-Match put that succeeded: its previousRevision is the revision it matched. */
    static Operation cas(int client, long from, long to, String key, String value, long ifMatch, long revision) {
        return new Operation(client, key, from, to, new PutIfMatch(value, ifMatch), new Written(revision, ifMatch));
    }

    static Operation casFailed(int client, long from, long to, String key, String value, long ifMatch, long currentRevision) {
        return new Operation(client, key, from, to, new PutIfMatch(value, ifMatch), new PreconditionFailed(currentRevision));
    }

    static Operation casUnknown(int client, long from, String key, String value, long ifMatch) {
        return new Operation(client, key, from, from + 10, new PutIfMatch(value, ifMatch), new Unknown());
    }

    static Operation create(int client, long from, long to, String key, String value, long revision) {
        return new Operation(client, key, from, to, new Create(value), new Written(revision, 0));
    }

    static Operation createFailed(int client, long from, long to, String key, String value, long currentRevision) {
        return new Operation(client, key, from, to, new Create(value), new PreconditionFailed(currentRevision));
    }

    static Operation createUnknown(int client, long from, String key, String value) {
        return new Operation(client, key, from, from + 10, new Create(value), new Unknown());
    }

    static Operation delete(int client, long from, long to, String key) {
        return new Operation(client, key, from, to, new Delete(), new Deleted());
    }

    static Operation deleteAbsent(int client, long from, long to, String key) {
        return new Operation(client, key, from, to, new Delete(), new NotFound());
    }

    static Operation deleteUnknown(int client, long from, String key) {
        return new Operation(client, key, from, from + 10, new Delete(), new Unknown());
    }

    static Operation deleteIfMatch(int client, long from, long to, String key, long ifMatch) {
        return new Operation(client, key, from, to, new DeleteIfMatch(ifMatch), new Deleted());
    }

    static Operation deleteIfMatchFailed(int client, long from, long to, String key, long ifMatch, long currentRevision) {
        return new Operation(client, key, from, to, new DeleteIfMatch(ifMatch), new PreconditionFailed(currentRevision));
    }

    static Operation deleteIfMatchUnknown(int client, long from, String key, long ifMatch) {
        return new Operation(client, key, from, from + 10, new DeleteIfMatch(ifMatch), new Unknown());
    }
}
