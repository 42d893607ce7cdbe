package io.ordinal.client;

import io.ordinal.cluster.Topology;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.StateMachineException;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends commands through the log: each one Ratis call (one client id, one call id for all its
 * attempts) that goes to the leader and follows it when it changes, until the deadline.
 *
 * <p>Why the same call everywhere: the replicas' retry cache answers a call it has seen (or applied)
 * with that call's result instead of appending it again, so a write is applied at most once however
 * many replicas it was sent to — the guarantee Ratis's own client retries rely on.
 *
 * <p>Why not Ratis's client and its retries: a leader that hangs (SIGSTOP, a long GC) keeps its TCP
 * connections open, so a call to it is not refused but waits; Ratis retries it only after its
 * per-attempt timeout, and then first closes its channel to that replica, waiting up to 3 s more for
 * the calls on it to drain. Meanwhile the other replicas elected a leader within an election timeout.
 * Here a call that has no answer after {@link #HEDGE} is also sent to the other replicas (its first
 * attempt still counts if it comes back): a follower answers at once with the leader it knows, and
 * the call goes there. Ratis's unordered stream carries the calls: each command is one call with a
 * reply of its own, and the order of concurrent commands is the log's.
 */
final class LeaderWrites implements Closeable {

    /** No answer after this: about the longest election timeout, far longer than a healthy write. */
    static final Duration HEDGE = Duration.ofMillis(1000);
    /** After a refusal that names no leader (none elected yet, or not ready): the pause before the next try. */
    private static final long PAUSE_MS = 100;

    private final Topology topology;
    private final Peers peers;
    private final ReplicaClients clients;
    private final Executor sender;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();

    /**
     * @param clients clients of each replica used by nothing else (call ids are this class's own)
     * @param sender where attempts after the first are sent from: never a Ratis reply thread
     */
    LeaderWrites(Topology topology, Peers peers, ReplicaClients clients, Executor sender) {
        this.topology = topology;
        this.peers = peers;
        this.clients = clients;
        this.sender = sender;
    }

    /**
     * Sends {@code command} as one call until a leader answers it (its reply may still be a failure of
     * the state machine's), or fails with a {@link TimeoutException} once {@code deadline} has passed.
     */
    CompletableFuture<RaftClientReply> send(Message command, Duration deadline) {
        Call call = new Call(command, callIds.incrementAndGet(), System.nanoTime() + deadline.toNanos());
        RaftPeerId hint = peers.leader();
        call.attempt(hint != null ? hint : peers.all().get(0).getId());
        return call.answer;
    }

    /** One command's call and its attempts. */
    private final class Call {
        private final Message command;
        private final long callId;
        private final CompletableFuture<RaftClientReply> answer = new CompletableFuture<>();
        /** Replicas with an attempt of this call on its way: not sent to again until it comes back. */
        private final Set<RaftPeerId> waitingOn = ConcurrentHashMap.newKeySet();

        Call(Message command, long callId, long giveUpAt) {
            this.command = command;
            this.callId = callId;
            long left = giveUpAt - System.nanoTime();
            CompletableFuture.delayedExecutor(Math.max(0, left), TimeUnit.NANOSECONDS).execute(() ->
                    answer.completeExceptionally(new TimeoutException("no leader answered the write in time")));
        }

        /** Sends the call to {@code target}, unless it is done or an attempt at {@code target} is on its way. */
        void attempt(RaftPeerId target) {
            RaftPeer peer = peerOf(target);
            if (answer.isDone() || peer == null || !waitingOn.add(target)) {
                return;
            }
            RaftClient client = clients.client(peer);
            RaftClientRequest request = RaftClientRequest.newBuilder()
                    .setClientId(clientId)
                    .setLeaderId(target)
                    .setGroupId(topology.groupId())
                    .setCallId(callId)
                    .setMessage(command)
                    .setType(RaftClientRequest.writeRequestType())
                    .build();
            CompletableFuture<RaftClientReply> sent;
            try {
                sent = client.getClientRpc().sendRequestAsyncUnordered(request);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            CompletableFuture.delayedExecutor(HEDGE.toMillis(), TimeUnit.MILLISECONDS, sender)
                    .execute(() -> hedge(target));
            sent.whenComplete((reply, error) -> {
                waitingOn.remove(target);
                if (answer.isDone()) {
                    return;
                }
                if (error == null && (reply.isSuccess() || reply.getException() instanceof StateMachineException)) {
                    if (reply.isSuccess()) {
                        peers.leaderIs(reply.getServerId());
                    }
                    answer.complete(reply);
                    return;
                }
                if (error != null) {
                    clients.renew(peer, client); // Ratis never re-opens a failed stream of a client without retries
                }
                // Ratis's gRPC client delivers a replica's "not the leader" and "not ready" as errors of
                // the call, not as replies.
                Throwable refusal = error == null ? reply.getException() : unwrap(error);
                RaftPeerId suggested = refusal instanceof NotLeaderException nle && nle.getSuggestedLeader() != null
                        ? nle.getSuggestedLeader().getId() : null;
                if (suggested != null && !suggested.equals(target) && !waitingOn.contains(suggested)) {
                    peers.leaderIs(suggested);
                    sender.execute(() -> attempt(suggested));
                } else if (refusal instanceof LeaderNotReadyException) {
                    later(target); // elected, not ready yet: it will be soon
                } else {
                    // No leader named, or one already asked that has not answered (a follower that has not
                    // noticed yet that its leader hangs): after a pause, another replica.
                    later(next(target));
                }
            });
        }

        private void later(RaftPeerId target) {
            CompletableFuture.delayedExecutor(PAUSE_MS, TimeUnit.MILLISECONDS, sender).execute(() -> attempt(target));
        }

        /**
         * Where to try after {@code failed}: the leader as far as this frontend knows, else the replicas
         * after it in turn — but none with an attempt on its way (it may hang: its answer is awaited
         * anyway); {@code failed} itself when every other one has.
         */
        private RaftPeerId next(RaftPeerId failed) {
            RaftPeerId hint = peers.leader();
            if (hint != null && !hint.equals(failed) && !waitingOn.contains(hint)) {
                return hint;
            }
            List<RaftPeer> all = peers.all();
            int at = 0;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).getId().equals(failed)) {
                    at = i;
                }
            }
            for (int i = 1; i <= all.size(); i++) {
                RaftPeerId candidate = all.get((at + i) % all.size()).getId();
                if (!waitingOn.contains(candidate)) {
                    return candidate;
                }
            }
            return failed;
        }

        /** The attempt at {@code slow} has no answer yet: every other replica is asked too. */
        private void hedge(RaftPeerId slow) {
            if (answer.isDone() || !waitingOn.contains(slow)) {
                return;
            }
            for (RaftPeer p : peers.all()) {
                if (!p.getId().equals(slow)) {
                    attempt(p.getId());
                }
            }
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private RaftPeer peerOf(RaftPeerId id) {
        return peers.all().stream().filter(p -> p.getId().equals(id)).findFirst().orElse(null);
    }

    @Override
    public void close() {
        clients.close();
    }
}
