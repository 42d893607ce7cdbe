package io.ordinal.storage;

import java.time.Duration;

/**
 * One call of a Ratis client, as its log entry names it: the client's id and the call's id, which a
 * retry of the call repeats, and the leader's clock when the entry was appended. The store records
 * the calls it applies, with their replies, in the replicated state ({@link AppliedCalls}), so that a
 * retry whose entry is applied a second time (sent to a leader whose retry cache never saw the call)
 * changes nothing and is answered as the first time.
 *
 * @param clientId     the Ratis client id's bytes
 * @param leaderMillis the leader's wall clock when it appended the entry (the same on every replica)
 */
public record ClientCall(byte[] clientId, long callId, long leaderMillis) {

    /**
     * How long, in log time, a call's record is kept. Every replica must use the same value, so it is
     * not configurable; it is also the Ratis retry cache's expiry, which, like this record, must
     * outlive every retry of a call: the frontend retries for its request deadline (5 s by default);
     * a lease expiry is never retried.
     */
    public static final Duration RETRY_WINDOW = Duration.ofSeconds(120);
}
