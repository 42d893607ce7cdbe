package io.ordinal.command;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queries and answers of linearizable reads without a log entry (client.ConfirmedReads). */
class LeaderReadCodecTest {

    @Test
    void aGetManyRoundTripsInOrder() {
        Query.GetMany back = (Query.GetMany) QueryFormat.decodeQuery(ByteBuffer.wrap(
                QueryFormat.encode(new Query.GetMany(List.of(b("a"), b(""), b("c/d")), 4096))));
        assertThat(back.maxBytes()).isEqualTo(4096);
        assertThat(back.keys()).containsExactly(b("a"), b(""), b("c/d"));
    }

    @Test
    void aGetManyAnswerSplitsIntoEachKeysGetResult() {
        byte[] found = ResultFormat.encodeGetResult(new KeyValue(b("a"), b("value"), 7));
        byte[] absent = ResultFormat.encodeGetResult(null);
        List<ByteBuffer> each = ResultFormat.decodeGetManyResult(ByteBuffer.wrap(
                ResultFormat.encodeGetManyResult(List.of(found, absent))));
        assertThat(each).hasSize(2);
        KeyValue a = ResultFormat.decodeGetResult(b("a"), each.get(0));
        assertThat(a.value()).isEqualTo(b("value"));
        assertThat(a.modRevision()).isEqualTo(7);
        assertThat(ResultFormat.decodeGetResult(b("b"), each.get(1))).isNull();
    }

    @Test
    void aLeaderReadWrapsAnyReadButALongPollOrItself() {
        Query.AtLeader back = (Query.AtLeader) QueryFormat.decodeQuery(ByteBuffer.wrap(
                QueryFormat.encode(new Query.AtLeader(new Query.Range(b("p/"), null, 10, true)))));
        Query.Range range = (Query.Range) back.inner();
        assertThat(range.prefix()).isEqualTo(b("p/"));
        assertThat(range.limit()).isEqualTo(10);
        assertThat(range.keysOnly()).isTrue();
        assertThat(QueryFormat.decodeQuery(ByteBuffer.wrap(QueryFormat.encode(new Query.Term()))))
                .isInstanceOf(Query.Term.class);
        assertThatThrownBy(() -> QueryFormat.encode(new Query.AtLeader(new Query.AtLeader(new Query.Status()))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueryFormat.encode(new Query.AtLeader(
                new Query.Changes(1, 0, b("k"), false, 100, 1000)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLeaderReadAnswerCarriesTheTermVotersAndTheInnerAnswer() {
        byte[] inner = ResultFormat.encode(new StoreStatus(42, 3));
        LeaderReadResult back = ResultFormat.decodeLeaderReadResult(ByteBuffer.wrap(ResultFormat.encode(
                new LeaderReadResult(LeaderReadResult.Status.SERVED, 9, List.of("kv-store-0", "kv-store-2"),
                        ByteBuffer.wrap(inner)))));
        assertThat(back.status()).isEqualTo(LeaderReadResult.Status.SERVED);
        assertThat(back.term()).isEqualTo(9);
        assertThat(back.voters()).containsExactly("kv-store-0", "kv-store-2");
        assertThat(ResultFormat.decodeStoreStatus(back.answer())).isEqualTo(new StoreStatus(42, 3));

        LeaderReadResult refused = ResultFormat.decodeLeaderReadResult(ByteBuffer.wrap(ResultFormat.encode(
                new LeaderReadResult(LeaderReadResult.Status.NOT_LEADER, 4, List.of(), ByteBuffer.allocate(0)))));
        assertThat(refused.status()).isEqualTo(LeaderReadResult.Status.NOT_LEADER);
        assertThat(refused.answer().remaining()).isZero();
        assertThat(ResultFormat.decodeTermResult(ByteBuffer.wrap(ResultFormat.encodeTermResult(11)))).isEqualTo(11);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
