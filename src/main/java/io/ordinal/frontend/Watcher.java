package io.ordinal.frontend;

import io.ordinal.command.Change;
import io.ordinal.command.Query;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One watch, as the frontend follows it: a cursor in the store's history (the revision and the
 * position within it of the next change to look at) and the replica that served the last poll.
 * {@link #next()} long-polls from the cursor and moves it past what it returns, so a poll that moves to
 * another replica (the last one died, or stopped answering) resumes exactly there: no change is
 * skipped and none is returned twice, whatever replica answers, because every replica holds the same
 * history.
 *
 * <p>Pull-based: a caller asks for the next batch only when it has sent the last one, so a slow
 * client holds at most one batch in the frontend.
 */
public final class Watcher {

    /** How long a poll goes on trying replicas before {@link #next()} fails with {@link UnavailableException}. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

    private final ChangeFeed feed;
    private final byte[] key;
    private final boolean prefix;
    private final int batchBytes;
    private long nextRevision;
    private int nextSeq;
    private volatile String replica;

    Watcher(ChangeFeed feed, byte[] key, boolean prefix, long fromRevision, int batchBytes) {
        this.feed = feed;
        this.key = key;
        this.prefix = prefix;
        this.nextRevision = fromRevision;
        this.batchBytes = batchBytes;
    }

    /**
     * The next changes, in revision order, once there are any, or an empty batch after the poll's
     * wait. Never called again before the last call completed.
     */
    public CompletableFuture<Batch> next() {
        Query.Changes q = new Query.Changes(nextRevision, nextSeq, key, prefix, batchBytes, feed.pollWait().toMillis());
        return feed.poll(q, replica, GIVE_UP_AFTER).thenApply(answer -> {
            replica = answer.replica();
            var r = answer.result();
            if (r.compacted()) {
                return new Batch(List.of(), true, r.oldestRevision());
            }
            nextRevision = r.nextRevision();
            nextSeq = r.nextSeq();
            return new Batch(r.changes(), false, r.oldestRevision());
        });
    }

    /** The replica that answered the last poll (null before the first). */
    public String replica() {
        return replica;
    }

    /**
     * @param changes        the changes, in revision order (possibly none)
     * @param compacted      the watch fell behind the history: the revision it needs is gone
     * @param oldestRevision the oldest revision the history holds
     */
    public record Batch(List<Change> changes, boolean compacted, long oldestRevision) {
    }
}
