package io.ordinal.history;

/**
 * What the client learned about one request. Which responses a request can have is checked by
 * {@link Operation}; whether the response is consistent with the other operations is the checker's
 * business, so a response that the server should never send (a {@code 412} on an unconditional put,
 * say) is refused here, while one that is merely wrong (a {@code 412} with the wrong
 * {@code currentRevision}) is recorded as it came.
 */
public sealed interface Response {

    /** Timeout, connection error, {@code 503} or {@code 5xx}: a write may or may not have taken effect. */
    record Unknown() implements Response {
    }

    /** A read's {@code 200}: the value and its {@code ETag}, the key's modRevision. */
    record Found(String value, long modRevision) implements Response {
        public Found {
            if (value == null) {
                throw new IllegalArgumentException("a found value may be empty, not null");
            }
            if (modRevision <= 0) {
                throw new IllegalArgumentException("modRevision must be positive, was " + modRevision);
            }
        }
    }

    /** {@code 404}: the key is absent (a read that succeeded, or a delete that changed nothing). */
    record NotFound() implements Response {
    }

    /** A put's {@code 200}/{@code 201}: the write's revision and the key's modRevision before it (0: absent). */
    record Written(long revision, long previousRevision) implements Response {
        public Written {
            if (revision <= 0 || previousRevision < 0) {
                throw new IllegalArgumentException(
                        "revision must be positive and previousRevision not negative, were " + revision + ", " + previousRevision);
            }
        }
    }

    /** A delete's {@code 204}. The delete took a revision, but the response does not say which. */
    record Deleted() implements Response {
    }

    /** {@code 412}: the condition was false and nothing changed; {@code currentRevision} 0 means absent. */
    record PreconditionFailed(long currentRevision) implements Response {
        public PreconditionFailed {
            if (currentRevision < 0) {
                throw new IllegalArgumentException("currentRevision must not be negative, was " + currentRevision);
            }
        }
    }
}
