package io.ordinal.client;

import io.ordinal.cluster.Topology;
import io.ordinal.command.KeyValue;
import io.ordinal.command.LeaderReadResult;
import io.ordinal.command.Query;
import io.ordinal.command.QueryFormat;
import io.ordinal.command.ResultFormat;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule that makes a read without a log entry linearizable, against replicas played by a fake
 * transport: a leader's answer is used only when enough other voters' terms are at most its own.
 */
class ConfirmedReadsTest {

    private static final RaftPeerId LEADER = RaftPeerId.valueOf("kv-store-0");
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    private final ExecutorService sender = Executors.newSingleThreadExecutor();
    private final Peers peers = new Peers(new Topology("kv", "kv-store", 3, "127.0.0.1", "default", 9870, 1));
    /** What each replica answers to Query.Term: a term, or null for no answer. */
    private final Map<String, Long> terms = new ConcurrentHashMap<>();
    private final List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger fallbacks = new AtomicInteger();
    private LeaderReadResult.Status leaderStatus = LeaderReadResult.Status.SERVED;
    private long leaderTerm = 5;
    private List<String> voters = List.of("kv-store-0", "kv-store-1", "kv-store-2");

    @AfterEach
    void stop() {
        sender.shutdownNow();
    }

    @Test
    void aLeaderConfirmedByAnotherVoterAnswers() throws Exception {
        terms.put("kv-store-1", 5L);
        terms.put("kv-store-2", 5L);
        assertThat(read()).isEqualTo("from the leader");
        assertThat(fallbacks).hasValue(0);
        assertThat(asked).containsOnlyOnce("kv-store-1").doesNotContain("kv-store-2"); // one confirmation is enough
    }

    @Test
    void aDeposedLeaderIsNotBelieved() throws Exception {
        // kv-store-0 still thinks it leads term 5 (it was paused, or cut off); the others elected a leader of term 6.
        terms.put("kv-store-1", 6L);
        terms.put("kv-store-2", 6L);
        assertThat(read()).isEqualTo("at a barrier");
        assertThat(fallbacks).hasValue(1);
        assertThat(asked).contains("kv-store-1", "kv-store-2");
    }

    @Test
    void aVoterThatDoesNotAnswerIsReplacedByTheNext() throws Exception {
        terms.put("kv-store-2", 5L); // kv-store-1 does not answer
        assertThat(read()).isEqualTo("from the leader");
        assertThat(fallbacks).hasValue(0);
    }

    @Test
    void aCandidateOfANewerTermDoesNotMatterWhileAMajorityIsStillAtTheLeadersTerm() throws Exception {
        terms.put("kv-store-1", 6L); // asking for votes in term 6, not elected: kv-store-0 and -2 have not voted
        terms.put("kv-store-2", 4L); // has not heard of term 5 yet: it cannot have voted in a newer one either
        assertThat(read()).isEqualTo("from the leader");
    }

    @Test
    void noAnswerFromAnyOtherVoterMeansTheBarrier() throws Exception {
        assertThat(read()).isEqualTo("at a barrier");
    }

    @Test
    void aReplicaThatDoesNotLeadOrAConfigurationThatChangesMeansTheBarrier() throws Exception {
        terms.put("kv-store-1", 5L);
        leaderStatus = LeaderReadResult.Status.NOT_LEADER;
        assertThat(read()).isEqualTo("at a barrier");
        leaderStatus = LeaderReadResult.Status.CONF_CHANGING;
        assertThat(read()).isEqualTo("at a barrier");
    }

    @Test
    void aVoterThisFrontendDoesNotKnowCannotBeSkipped() throws Exception {
        terms.put("kv-store-1", 5L);
        terms.put("kv-store-2", 5L);
        voters = List.of("kv-store-0", "kv-store-1", "kv-store-2", "kv-store-3", "kv-store-4");
        assertThat(read()).isEqualTo("from the leader"); // 0, 1 and 2 are a majority of five
        voters = List.of("kv-store-0", "kv-store-7", "kv-store-8");
        assertThat(read()).isEqualTo("at a barrier"); // a majority needs 7 or 8, whom it cannot ask
    }

    @Test
    void withNoKnownLeaderEveryReadTakesTheBarrier() throws Exception {
        ConfirmedReads reads = new ConfirmedReads(new Peers(new Topology("kv", "kv-store", 3, "127.0.0.1", "default",
                9870, 1)), this::call, this::fallback, sender);
        assertThat(value(reads.read(new Query.Get(KEY), Duration.ofSeconds(5)))).isEqualTo("at a barrier");
    }

    @Test
    void theLeaderAndItsConfirmersMakeAMajorityOfTheVoters() {
        RaftPeerId leader = RaftPeerId.valueOf("kv-store-1");
        assertThat(Confirmations.confirmationsNeeded(leader, List.of("kv-store-1"))).isZero();
        assertThat(Confirmations.confirmationsNeeded(leader, List.of("kv-store-0", "kv-store-1"))).isEqualTo(1);
        assertThat(Confirmations.confirmationsNeeded(leader, List.of("kv-store-0", "kv-store-1", "kv-store-2")))
                .isEqualTo(1);
        assertThat(Confirmations.confirmationsNeeded(leader,
                List.of("kv-store-0", "kv-store-1", "kv-store-2", "kv-store-3"))).isEqualTo(2);
        assertThat(Confirmations.confirmationsNeeded(leader,
                List.of("kv-store-0", "kv-store-1", "kv-store-2", "kv-store-3", "kv-store-4"))).isEqualTo(2);
        // a leader that is not a voter counts for nothing
        assertThat(Confirmations.confirmationsNeeded(leader, List.of("kv-store-0", "kv-store-2", "kv-store-3")))
                .isEqualTo(2);
    }

    private String read() throws Exception {
        peers.leaderIs(LEADER);
        ConfirmedReads reads = new ConfirmedReads(peers, this::call, this::fallback, sender);
        return value(reads.read(new Query.Get(KEY), Duration.ofSeconds(5)));
    }

    private static String value(CompletableFuture<ByteBuffer> answer) throws Exception {
        KeyValue kv = ResultFormat.decodeGetResult(KEY, answer.get(5, TimeUnit.SECONDS));
        return new String(kv.value(), StandardCharsets.UTF_8);
    }

    private CompletableFuture<ByteBuffer> call(RaftPeer peer, Message m) {
        String id = peer.getId().toString();
        Query query = QueryFormat.decodeQuery(m.getContent().asReadOnlyByteBuffer());
        if (query instanceof Query.Term) {
            asked.add(id);
            Long term = terms.get(id);
            return term == null ? CompletableFuture.failedFuture(new IOException(id + " does not answer"))
                    : CompletableFuture.completedFuture(ByteBuffer.wrap(ResultFormat.encodeTermResult(term)));
        }
        assertThat(peer.getId()).isEqualTo(LEADER);
        Query.GetMany many = (Query.GetMany) ((Query.AtLeader) query).inner();
        List<byte[]> each = many.keys().stream()
                .map(k -> ResultFormat.encodeGetResult(new KeyValue(k, bytes("from the leader"), 3))).toList();
        ByteBuffer answer = leaderStatus == LeaderReadResult.Status.SERVED
                ? ByteBuffer.wrap(ResultFormat.encodeGetManyResult(each)) : ByteBuffer.allocate(0);
        return CompletableFuture.completedFuture(ByteBuffer.wrap(ResultFormat.encode(
                new LeaderReadResult(leaderStatus, leaderTerm, voters, answer))));
    }

    private CompletableFuture<ByteBuffer> fallback(Query query, Duration left) {
        fallbacks.incrementAndGet();
        Query.Get get = (Query.Get) query;
        return CompletableFuture.completedFuture(ByteBuffer.wrap(
                ResultFormat.encodeGetResult(new KeyValue(get.key(), bytes("at a barrier"), 4))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
