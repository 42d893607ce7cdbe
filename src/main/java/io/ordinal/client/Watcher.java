package io.ordinal.client;

import io.ordinal.command.Change;
import io.ordinal.command.Query;

import java.time.Duration;
import java.util.ArrayList;
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
 * <p>Each change it returns comes with the {@link Position} just after it, which a client that lost the
 * stream starts a new watch from: a poll can stop inside a revision (a transaction or a lease expiry
 * changes many keys at one revision), so a position is a revision and how many of its changes the
 * watch has seen.
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
    /** How long one poll waits on a replica for a change. */
    private final Duration pollWait;
    private long nextRevision;
    private int nextSeq;
    /** The revision of the last change looked at, and how many of its matching changes came before. */
    private long revision;
    private int seen;
    /** A start inside a revision: its first matching changes, which the client has, are not returned. */
    private final Position start;
    private volatile String replica;

    Watcher(ChangeFeed feed, byte[] key, boolean prefix, Position start, int batchBytes, Duration pollWait) {
        this.feed = feed;
        this.pollWait = pollWait;
        this.key = key;
        this.prefix = prefix;
        this.start = start;
        this.nextRevision = start.revision();
        this.revision = start.revision();
        this.batchBytes = batchBytes;
    }

    /**
     * The next changes, in revision order, once there are any, or an empty batch after the poll's
     * wait. Never called again before the last call completed.
     */
    public CompletableFuture<Batch> next() {
        Query.Changes q = new Query.Changes(nextRevision, nextSeq, key, prefix, batchBytes, pollWait.toMillis());
        return feed.poll(q, replica, GIVE_UP_AFTER).thenApply(answer -> {
            replica = answer.replica();
            var r = answer.result();
            if (r.compacted()) {
                return new Batch(List.of(), true, r.oldestRevision());
            }
            nextRevision = r.nextRevision();
            nextSeq = r.nextSeq();
            List<Watched> watched = new ArrayList<>(r.changes().size());
            for (int i = 0; i < r.changes().size(); i++) {
                Change change = r.changes().get(i);
                if (change.modRevision() != revision) {
                    revision = change.modRevision();
                    seen = 0;
                }
                seen++;
                if (revision == start.revision() && seen <= start.seen()) {
                    continue;
                }
                // Past the whole revision once a later one follows, or the cursor has moved beyond it.
                boolean last = i + 1 < r.changes().size()
                        ? r.changes().get(i + 1).modRevision() != revision
                        : nextRevision > revision;
                watched.add(new Watched(change, last ? new Position(revision + 1, 0) : new Position(revision, seen)));
            }
            return new Batch(watched, false, r.oldestRevision());
        });
    }

    /** The replica that answered the last poll (null before the first). */
    public String replica() {
        return replica;
    }

    /**
     * A place in one watch's stream of changes: after every change of the revisions before
     * {@code revision}, and after the first {@code seen} changes of {@code revision} that the watch
     * matches. The same place for every replica (they hold the same history), but only for the same
     * key or prefix.
     */
    public record Position(long revision, int seen) {

        public Position {
            if (revision < 1 || seen < 0) {
                throw new IllegalArgumentException("not a position: revision " + revision + ", seen " + seen);
            }
        }

        /** From the start of {@code revision}. */
        public static Position at(long revision) {
            return new Position(revision, 0);
        }
    }

    /** A change and the position just after it. */
    public record Watched(Change change, Position after) {
    }

    /**
     * @param watched        the changes, in revision order (possibly none)
     * @param compacted      the watch fell behind the history: the revision it needs is gone
     * @param oldestRevision the oldest revision the history holds
     */
    public record Batch(List<Watched> watched, boolean compacted, long oldestRevision) {

        public Batch {
            watched = List.copyOf(watched);
        }

        public List<Change> changes() {
            return watched.stream().map(Watched::change).toList();
        }
    }
}
