package io.ordinal.replica;

import io.ordinal.command.Command;
import io.ordinal.command.LogFormat;
import io.ordinal.security.tls.RaftTls;
import io.ordinal.storage.HistoryRetention;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A new leader writes its configured history retention through the log when the stored one differs:
 * the history is compacted while applying, and each replica applying its own configuration would keep
 * a different history after a rolling configuration change. Through the log, every replica changes
 * its retention at the same entry; the configuration of whichever replica leads last wins.
 *
 * <p>Sent once, to this replica, with a few retries: a proposal that is lost (leadership moved on) is
 * made again by the next leader, from its own configuration.
 */
final class HistoryRetentionProposal {

    private static final Logger LOG = Logger.getLogger(HistoryRetentionProposal.class);

    private HistoryRetentionProposal() {
    }

    static void send(RaftServer server, RaftGroupId groupId, HistoryRetention configured, RaftTls tls) {
        RaftClient client;
        try {
            client = RaftClient.newBuilder()
                    .setRaftGroup(server.getDivision(groupId).getGroup())
                    .setLeaderId(server.getId())
                    .setProperties(new RaftProperties())
                    .setParameters(tls.parameters())
                    .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(5,
                            TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
                    .build();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot propose the history retention %s: %s", configured, e.getMessage());
            return;
        }
        LOG.infof("proposing the configured history retention %s", configured);
        byte[] command = LogFormat.encode(new Command.SetHistoryRetention(configured.revisions(), configured.bytes()));
        client.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(command))).whenComplete((reply, error) -> {
            if (error != null || !reply.isSuccess()) {
                LOG.warnf("proposing the history retention %s failed: %s", configured,
                        error != null ? error : reply.getException());
            }
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
    }
}
