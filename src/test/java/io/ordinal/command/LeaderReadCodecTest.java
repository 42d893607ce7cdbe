package io.ordinal.command;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queries and answers of linearizable reads without a log entry (frontend.ConfirmedReads). */
class LeaderReadCodecTest {

    @Test
    void aGetManyRoundTripsInOrder() {
        Query.GetMany back = (Query.GetMany) CommandCodec.decodeQuery(ByteBuffer.wrap(
                CommandCodec.encode(new Query.GetMany(List.of(b("a"), b(""), b("c/d")), 4096))));
        assertThat(back.maxBytes()).isEqualTo(4096);
        assertThat(back.keys()).containsExactly(b("a"), b(""), b("c/d"));
    }

    @Test
    void aGetManyAnswerSplitsIntoEachKeysGetResult() {
        byte[] found = CommandCodec.encodeGetResult(new KeyValue(b("a"), b("value"), 7));
        byte[] absent = CommandCodec.encodeGetResult(null);
        List<ByteBuffer> each = CommandCodec.decodeGetManyResult(ByteBuffer.wrap(
                CommandCodec.encodeGetManyResult(List.of(found, absent))));
        assertThat(each).hasSize(2);
        KeyValue a = CommandCodec.decodeGetResult(b("a"), each.get(0));
        assertThat(a.value()).isEqualTo(b("value"));
        assertThat(a.modRevision()).isEqualTo(7);
        assertThat(CommandCodec.decodeGetResult(b("b"), each.get(1))).isNull();
    }

    @Test
    void aLeaderReadWrapsAnyReadButALongPollOrItself() {
        Query.AtLeader back = (Query.AtLeader) CommandCodec.decodeQuery(ByteBuffer.wrap(
                CommandCodec.encode(new Query.AtLeader(new Query.Range(b("p/"), null, 10, true)))));
        Query.Range range = (Query.Range) back.inner();
        assertThat(range.prefix()).isEqualTo(b("p/"));
        assertThat(range.limit()).isEqualTo(10);
        assertThat(range.keysOnly()).isTrue();
        assertThat(CommandCodec.decodeQuery(ByteBuffer.wrap(CommandCodec.encode(new Query.Term()))))
                .isInstanceOf(Query.Term.class);
        assertThatThrownBy(() -> CommandCodec.encode(new Query.AtLeader(new Query.AtLeader(new Query.Status()))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandCodec.encode(new Query.AtLeader(
                new Query.Changes(1, 0, b("k"), false, 100, 1000)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLeaderReadAnswerCarriesTheTermVotersAndTheInnerAnswer() {
        byte[] inner = CommandCodec.encode(new StoreStatus(42, 3));
        LeaderReadResult back = CommandCodec.decodeLeaderReadResult(ByteBuffer.wrap(CommandCodec.encode(
                new LeaderReadResult(LeaderReadResult.Status.SERVED, 9, List.of("kv-store-0", "kv-store-2"),
                        ByteBuffer.wrap(inner)))));
        assertThat(back.status()).isEqualTo(LeaderReadResult.Status.SERVED);
        assertThat(back.term()).isEqualTo(9);
        assertThat(back.voters()).containsExactly("kv-store-0", "kv-store-2");
        assertThat(CommandCodec.decodeStoreStatus(back.answer())).isEqualTo(new StoreStatus(42, 3));

        LeaderReadResult refused = CommandCodec.decodeLeaderReadResult(ByteBuffer.wrap(CommandCodec.encode(
                new LeaderReadResult(LeaderReadResult.Status.NOT_LEADER, 4, List.of(), ByteBuffer.allocate(0)))));
        assertThat(refused.status()).isEqualTo(LeaderReadResult.Status.NOT_LEADER);
        assertThat(refused.answer().remaining()).isZero();
        assertThat(CommandCodec.decodeTermResult(ByteBuffer.wrap(CommandCodec.encodeTermResult(11)))).isEqualTo(11);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
