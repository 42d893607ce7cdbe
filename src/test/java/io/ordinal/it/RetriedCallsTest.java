package io.ordinal.it;

import io.ordinal.command.Command;
import io.ordinal.command.LogFormat;
import io.ordinal.command.ResultFormat;
import io.ordinal.client.Consistency;
import io.ordinal.command.Precondition;
import io.ordinal.command.WriteResult;
import io.ordinal.command.WriteResult.Outcome;
import io.ordinal.client.KvClient;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once at the Ratis client level: a call (one client id, one call id) that was applied is
 * answered with its original result when it is sent again, and applied no second time, even by a
 * leader whose retry cache never saw it — because the replica skipped its entry (inside a snapshot)
 * or replayed it after a restart.
 */
class RetriedCallsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aRetryOfAWriteInsideEveryReplicasSnapshotIsAnsweredWithItsResultAndNotAppliedAgain() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir, 10, 5)) {
            KvClient client = cluster.newClient(DEADLINE);
            ClientId caller = ClientId.randomId();
            Command createOnly = new Command.Put(bytes("once"), bytes("v"), Precondition.ABSENT);
            RaftClientReply first = send(cluster, caller, 7, createOnly);
            WriteResult original = ResultFormat.decodeWriteResult(first.getMessage().getContent().asReadOnlyByteBuffer());
            assertThat(original.outcome()).isEqualTo(Outcome.CREATED);

            // Enough entries after it that every replica snapshots past it: none will replay it.
            for (int i = 0; i < 30; i++) {
                client.write(new Command.Put(bytes("after/" + i), bytes("x"), Precondition.NONE)).join();
            }
            cluster.awaitCaughtUp();
            await().atMost(Duration.ofSeconds(30)).until(() -> everySnapshotIsPast(cluster, first.getLogIndex()));
            restartEveryReplica(cluster);

            long revisionBefore = client.storeStatus().join().revision();
            RaftClientReply retried = send(cluster, caller, 7, createOnly);
            assertThat(ResultFormat.decodeWriteResult(retried.getMessage().getContent().asReadOnlyByteBuffer()))
                    .as("the retry's answer").isEqualTo(original);
            assertThat(client.storeStatus().join().revision()).as("the store's revision").isEqualTo(revisionBefore);
            assertThat(client.get(bytes("once"), Consistency.LINEARIZABLE).join().modRevision())
                    .isEqualTo(original.revision());
        }
    }

    /** A stop takes a snapshot (Ratis's trigger-when-stop), so the restarted replicas never replay the entry. */
    @Test
    void aPlainPutRetriedAfterEveryReplicaRestartedTakesNoSecondRevision() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            ClientId caller = ClientId.randomId();
            Command put = new Command.Put(bytes("replayed"), bytes("v"), Precondition.NONE);
            RaftClientReply first = send(cluster, caller, 11, put);
            WriteResult original = ResultFormat.decodeWriteResult(first.getMessage().getContent().asReadOnlyByteBuffer());
            cluster.awaitCaughtUp();
            restartEveryReplica(cluster);

            long revisionBefore = client.storeStatus().join().revision();
            RaftClientReply retried = send(cluster, caller, 11, put);
            assertThat(retried.getMessage().getContent().isEmpty()).as("the retry is answered with nothing").isFalse();
            assertThat(ResultFormat.decodeWriteResult(retried.getMessage().getContent().asReadOnlyByteBuffer()))
                    .as("the retry's answer").isEqualTo(original);
            assertThat(client.storeStatus().join().revision()).as("the store's revision").isEqualTo(revisionBefore);
        }
    }

    @Test
    void aRetryReachingALeaderThatInstalledASnapshotIsAnsweredWithItsResult() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir, 10, 5)) {
            KvClient client = cluster.newClient(DEADLINE);
            int wiped = (cluster.awaitLeader() + 1) % 3;
            cluster.stopReplica(wiped);
            cluster.wipe(wiped);
            ClientId caller = ClientId.randomId();
            Command createOnly = new Command.Put(bytes("installed"), bytes("v"), Precondition.ABSENT);
            RaftClientReply first = send(cluster, caller, 5, createOnly);
            WriteResult original = ResultFormat.decodeWriteResult(first.getMessage().getContent().asReadOnlyByteBuffer());
            // Until the leader has purged the entry from its log: the wiped replica then gets it inside
            // a snapshot (the log is purged a whole segment at a time).
            for (int i = 0; cluster.division(cluster.awaitLeader()).getRaftLog().getStartIndex() <= first.getLogIndex(); i++) {
                assertThat(i).as("writes without a purge").isLessThan(2000);
                client.write(new Command.Put(bytes("after/" + i), bytes("x"), Precondition.NONE)).join();
            }
            cluster.startReplica(wiped);
            cluster.awaitCaughtUp();
            assertThat(cluster.replica(wiped).stateMachine().snapshotsInstalled()).isPositive();
            client.transferLeadership(cluster.topology().podName(wiped)).join();
            assertThat(cluster.awaitLeader()).isEqualTo(wiped);

            long revisionBefore = client.storeStatus().join().revision();
            RaftClientReply retried = send(cluster, caller, 5, createOnly);
            assertThat(ResultFormat.decodeWriteResult(retried.getMessage().getContent().asReadOnlyByteBuffer()))
                    .as("the retry's answer").isEqualTo(original);
            assertThat(client.storeStatus().join().revision()).as("the store's revision").isEqualTo(revisionBefore);
        }
    }

    private static void restartEveryReplica(TestCluster cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            cluster.stopReplica(i);
        }
        for (int i = 0; i < cluster.size(); i++) {
            cluster.startReplica(i);
        }
        cluster.awaitLeader();
    }

    private static boolean everySnapshotIsPast(TestCluster cluster, long index) {
        for (int i = 0; i < cluster.size(); i++) {
            var latest = cluster.division(i).getStateMachine().getLatestSnapshot();
            if (latest == null || latest.getIndex() < index) {
                return false;
            }
        }
        return true;
    }

    /** Sends the command to the leader as call {@code callId} of {@code caller}, until a leader answers it. */
    private static RaftClientReply send(TestCluster cluster, ClientId caller, long callId, Command command)
            throws IOException {
        try (RaftClient rpc = RaftClient.newBuilder().setRaftGroup(cluster.topology().group())
                .setProperties(new RaftProperties()).setRetryPolicy(RetryPolicies.noRetry()).build()) {
            RaftClientReply[] reply = {null};
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                RaftClientRequest request = RaftClientRequest.newBuilder()
                        .setClientId(caller)
                        .setCallId(callId)
                        .setServerId(cluster.division(cluster.awaitLeader()).getId())
                        .setGroupId(cluster.topology().groupId())
                        .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(LogFormat.encode(command))))
                        .setType(RaftClientRequest.writeRequestType())
                        .build();
                reply[0] = rpc.getClientRpc().sendRequest(request);
                return reply[0].isSuccess();
            });
            return reply[0];
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
