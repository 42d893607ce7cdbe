package io.ordinal.replica;

import io.ordinal.command.Command;
import io.ordinal.command.LogFormat;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Expires leases: on the leader only, every interval, each lease whose countdown ran out
 * ({@link LeaseClock}) is ended through the log by a {@link Command.LeaseExpire}. Every replica then
 * deletes the lease's keys when it applies that entry — at the same revision, which watches see.
 *
 * <p>The entry carries the decision's fence: the leader's term and the lease's renewal its countdown
 * ran from. It is handed to this replica's own server only, never to a client that retries or follows
 * a redirect, so it reaches the log only while this replica still leads in the term that decided, and
 * it changes nothing if a keepalive was applied after that renewal. A paused or cut-off leader that
 * resumes after a new one took over can therefore not end a lease its owner kept alive meanwhile. If
 * the entry fails (not the leader any more, or no answer), nothing is retried: the next round decides
 * again, on the countdown as it is then.
 */
final class LeaseExpiry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseExpiry.class);
    /** How long an expiry may stay unanswered before its lease can be decided on again (a stalled leader). */
    private static final Duration UNANSWERED = Duration.ofSeconds(5);

    private final ReplicaServer replica;
    private final Set<Long> expiring = ConcurrentHashMap.newKeySet();
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callId = new AtomicLong();
    private final ScheduledExecutorService executor;

    LeaseExpiry(ReplicaServer replica) {
        this.replica = replica;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, replica.id() + "-lease-expiry");
            t.setDaemon(true);
            return t;
        });
    }

    void start(Duration interval) {
        executor.scheduleWithFixedDelay(this::expireQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void expireQuietly() {
        try {
            expireOnce();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("expiring leases failed (decided again in a moment): %s", e.getMessage());
        }
    }

    void expireOnce() throws IOException {
        RaftServer.Division division = replica.division();
        var info = division.getInfo();
        if (!info.isLeader() || !info.isLeaderReady()) {
            return;
        }
        List<Command.LeaseExpire> expired = replica.stateMachine().expiredLeases(info.getCurrentTerm()).stream()
                .filter(e -> expiring.add(e.id())).toList();
        for (Command.LeaseExpire expire : expired) {
            LOG.infof("lease %d expired (term %d, renewed at %d): ending it", expire.id(), expire.decidingTerm(),
                    expire.renewedIndex());
            submitHere(division, expire)
                    .orTimeout(UNANSWERED.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((reply, error) -> {
                        expiring.remove(expire.id());
                        if (error != null || !reply.isSuccess()) {
                            LOG.warnf("expiring lease %d failed (decided again in a moment): %s", expire.id(),
                                    error != null ? error : reply.getException());
                        }
                    });
        }
    }

    /** Hands the entry to this replica's own server: a follower answers NotLeaderException, and nobody retries. */
    private CompletableFuture<RaftClientReply> submitHere(RaftServer.Division division, Command.LeaseExpire expire) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(replica.id())
                .setGroupId(division.getGroup().getGroupId())
                .setCallId(callId.incrementAndGet())
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(LogFormat.encode(expire))))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        try {
            return replica.submit(request);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
