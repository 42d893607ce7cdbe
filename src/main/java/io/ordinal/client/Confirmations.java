package io.ordinal.client;

import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The other replicas' terms in one round of {@link ConfirmedReads}, asked after the round's reads
 * arrived: enough of them at or below a leader's term confirm that leader (why that is enough is
 * {@link ConfirmedReads}'s class comment). One replica is asked at once — the one that confirmed
 * last — and others only when more answers are needed.
 */
final class Confirmations {
    private final RaftPeerId leader;
    private final List<RaftPeer> others;
    private final Function<RaftPeer, CompletableFuture<Long>> askTerm;
    /** The replica whose term confirmed the leader last, shared by the rounds: the first one asked. */
    private final AtomicReference<RaftPeerId> confirmer;
    private final Executor sender;
    private final Map<RaftPeerId, CompletableFuture<Long>> terms = new ConcurrentHashMap<>();

    /** Called on the thread that sends the round (never a Ratis reply thread): asks the first replica. */
    Confirmations(RaftPeerId leader, List<RaftPeer> others, Function<RaftPeer, CompletableFuture<Long>> askTerm,
            AtomicReference<RaftPeerId> confirmer, Executor sender) {
        this.leader = leader;
        this.others = others;
        this.askTerm = askTerm;
        this.confirmer = confirmer;
        this.sender = sender;
        if (!others.isEmpty()) {
            term(others.get(0));
        }
    }

    /** Each replica is asked once per round, however many queries of the round need its term. */
    private CompletableFuture<Long> term(RaftPeer peer) {
        return terms.computeIfAbsent(peer.getId(), id -> askTerm.apply(peer));
    }

    /** True as soon as a majority of {@code voters} is confirmed, false once it no longer can be. */
    CompletableFuture<Boolean> confirm(long term, List<String> voters) {
        int needed = confirmationsNeeded(leader, voters);
        List<RaftPeer> candidates = others.stream().filter(p -> voters.contains(p.getId().toString())).toList();
        if (needed <= 0) {
            return CompletableFuture.completedFuture(true);
        }
        if (candidates.size() < needed) {
            return CompletableFuture.completedFuture(false); // a voter this frontend does not know yet
        }
        return new Tally(term, needed, candidates).start();
    }

    /** Asks candidates in order, as many at a time as answers are still needed. */
    private final class Tally {
        private final long term;
        private final int needed;
        private final List<RaftPeer> candidates;
        private final CompletableFuture<Boolean> result = new CompletableFuture<>();
        private int next;
        private int yes;
        private int pending;

        Tally(long term, int needed, List<RaftPeer> candidates) {
            this.term = term;
            this.needed = needed;
            this.candidates = candidates;
        }

        CompletableFuture<Boolean> start() {
            Boolean outcome;
            synchronized (this) {
                outcome = askMore();
            }
            complete(outcome);
            return result;
        }

        /** Completes outside the lock: what depends on the outcome (the HTTP answers) runs then. */
        private void complete(Boolean outcome) {
            if (outcome != null) {
                result.complete(outcome);
            }
        }

        /** Called with the lock held; the outcome once it is known, else null. */
        private Boolean askMore() {
            while (yes + pending < needed && next < candidates.size()) {
                RaftPeer peer = candidates.get(next++);
                pending++;
                CompletableFuture<Long> asked = terms.get(peer.getId());
                if (asked != null) {
                    asked.thenAccept(theirs -> answered(peer, theirs));
                } else { // a new call: from the sender, never from the Ratis reply thread we may be on
                    sender.execute(() -> term(peer).thenAccept(theirs -> answered(peer, theirs)));
                }
            }
            return yes + pending < needed ? Boolean.FALSE : null;
        }

        private void answered(RaftPeer peer, long theirs) {
            Boolean outcome = null;
            synchronized (this) {
                pending--;
                if (theirs <= term) {
                    confirmer.set(peer.getId());
                    if (++yes >= needed) {
                        outcome = Boolean.TRUE;
                    }
                } else {
                    confirmer.compareAndSet(peer.getId(), null);
                    outcome = askMore();
                }
            }
            complete(outcome);
        }
    }

    /**
     * How many replicas besides the leader must confirm it: a majority of the voters, less the leader
     * itself when it is one of them.
     */
    static int confirmationsNeeded(RaftPeerId leader, List<String> voters) {
        return voters.size() / 2 + 1 - (voters.contains(leader.toString()) ? 1 : 0);
    }
}
