package io.ordinal.command;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Queries and answers, from a frontend to a replica and back. */
class QueryAndResultFormatTest {

    @Test
    void queriesRoundTrip() {
        Query.Get get = (Query.Get) QueryFormat.decodeQuery(ByteBuffer.wrap(QueryFormat.encode(new Query.Get(bytes("x")))));
        assertThat(get.key()).isEqualTo(bytes("x"));

        Query.Range range = new Query.Range(bytes("p/"), null, 17, true);
        Query.Range back = (Query.Range) QueryFormat.decodeQuery(ByteBuffer.wrap(QueryFormat.encode(range)));
        assertThat(back.prefix()).isEqualTo(bytes("p/"));
        assertThat(back.after()).isNull();
        assertThat(back.limit()).isEqualTo(17);
        assertThat(back.keysOnly()).isTrue();

        Query.Range withAfter = new Query.Range(new byte[0], bytes("m"), 1000, false);
        Query.Range back2 = (Query.Range) QueryFormat.decodeQuery(ByteBuffer.wrap(QueryFormat.encode(withAfter)));
        assertThat(back2.after()).isEqualTo(bytes("m"));
        assertThat(back2.keysOnly()).isFalse();
    }

    @Test
    void resultsRoundTrip() {
        for (WriteResult.Outcome o : WriteResult.Outcome.values()) {
            WriteResult r = new WriteResult(o, 41, 40);
            assertThat(ResultFormat.decodeWriteResult(ByteBuffer.wrap(ResultFormat.encode(r)))).isEqualTo(r);
        }
        KeyValue kv = ResultFormat.decodeGetResult(bytes("k"),
                ByteBuffer.wrap(ResultFormat.encodeGetResult(new KeyValue(bytes("k"), bytes("v"), 9))));
        assertThat(kv.value()).isEqualTo(bytes("v"));
        assertThat(kv.modRevision()).isEqualTo(9);
        assertThat(ResultFormat.decodeGetResult(bytes("k"), ByteBuffer.wrap(ResultFormat.encodeGetResult(null)))).isNull();

        RangeResult range = new RangeResult(List.of(new KeyValue(bytes("a"), bytes("1"), 3),
                new KeyValue(bytes("b"), null, 4)), true);
        RangeResult back = ResultFormat.decodeRangeResult(ByteBuffer.wrap(ResultFormat.encode(range)));
        assertThat(back.more()).isTrue();
        assertThat(back.items()).hasSize(2);
        assertThat(back.items().get(0).value()).isEqualTo(bytes("1"));
        assertThat(back.items().get(1).value()).isNull();
        assertThat(back.items().get(1).modRevision()).isEqualTo(4);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
