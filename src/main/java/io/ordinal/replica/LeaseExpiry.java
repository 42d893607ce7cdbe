package io.ordinal.replica;

import io.ordinal.command.Command;
import io.ordinal.command.CommandCodec;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
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

/**
 * Expires leases: on the leader only, every interval, each lease whose countdown ran out
 * ({@link LeaseClock}) is revoked through the log, like a client's revoke. Every replica then
 * deletes the lease's keys when it applies that entry — at the same revision, which watches see.
 *
 * <p>A revoke of a lease that is already gone changes nothing, so sending one twice (a retry, or a
 * new leader deciding again) is harmless; a keepalive that is ordered before the revoke in the log
 * saves the lease only if the revoke is not yet sent.
 */
final class LeaseExpiry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseExpiry.class);

    private final ReplicaServer replica;
    private final Set<Long> revoking = ConcurrentHashMap.newKeySet();
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
            LOG.warnf("expiring leases failed (tried again in a moment): %s", e.getMessage());
        }
    }

    void expireOnce() throws IOException {
        RaftServer.Division division = replica.division();
        var info = division.getInfo();
        if (!info.isLeader() || !info.isLeaderReady()) {
            return;
        }
        List<Long> expired = replica.stateMachine().expiredLeases(info.getCurrentTerm()).stream()
                .filter(revoking::add).toList();
        if (expired.isEmpty()) {
            return;
        }
        RaftClient client = RaftClient.newBuilder()
                .setRaftGroup(division.getGroup())
                .setLeaderId(replica.id())
                .setProperties(new RaftProperties())
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20,
                        TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
        CompletableFuture<?>[] sent = expired.stream().map(id -> {
            LOG.infof("lease %d expired: revoking it", id);
            byte[] command = CommandCodec.encode(new Command.LeaseRevoke(id));
            return client.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(command)))
                    .whenComplete((reply, error) -> {
                        revoking.remove(id);
                        if (error != null || !reply.isSuccess()) {
                            LOG.warnf("revoking expired lease %d failed: %s", id,
                                    error != null ? error : reply.getException());
                        }
                    });
        }).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(sent).whenComplete((v, e) -> {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
