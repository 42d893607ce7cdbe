package io.ordinal.history;

/**
 * What a client asked of one key through the HTTP API. One record per request form the API
 * distinguishes, because each form fails differently (a conditional write answers {@code 412}, an
 * unconditional delete of an absent key answers {@code 404}).
 */
public sealed interface Request {

    /** {@code GET /v1/kv/{key}}, linearizable (the default consistency). */
    record Read() implements Request {
    }

    /** {@code PUT /v1/kv/{key}} without a condition. */
    record Put(String value) implements Request {
        public Put {
            requireValue(value);
        }
    }

    /** {@code PUT} with {@code If-Match: "revision"}: compare-and-swap on the key's modRevision. */
    record PutIfMatch(String value, long revision) implements Request {
        public PutIfMatch {
            requireValue(value);
        }
    }

    /** {@code PUT} with {@code If-None-Match: *}: create-only. */
    record Create(String value) implements Request {
        public Create {
            requireValue(value);
        }
    }

    /** {@code DELETE /v1/kv/{key}} without a condition. */
    record Delete() implements Request {
    }

    /** {@code DELETE} with {@code If-Match: "revision"}. */
    record DeleteIfMatch(long revision) implements Request {
    }

    /** @return the value this request writes, or null for reads and deletes */
    default String writtenValue() {
        if (this instanceof Put put) {
            return put.value();
        } else if (this instanceof PutIfMatch cas) {
            return cas.value();
        } else if (this instanceof Create create) {
            return create.value();
        }
        return null;
    }

    default boolean isRead() {
        return this instanceof Read;
    }

    default boolean isDelete() {
        return this instanceof Delete || this instanceof DeleteIfMatch;
    }

    private static void requireValue(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a write needs a value (it may be empty, not null)");
        }
    }
}
