package io.ordinal.command;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogFormatTest {

    @Test
    void aBarrierRoundTrips() {
        assertThat(LogFormat.decodeCommand(ByteBuffer.wrap(LogFormat.encode(new Command.Barrier()))))
                .isEqualTo(new Command.Barrier());
    }

    @Test
    void aLogEntryCarriesTheLeadersStampBeforeTheCommandAsSent() {
        byte[] command = LogFormat.encode(new Command.Delete(bytes("k"), Precondition.NONE));
        ByteBuffer entry = ByteBuffer.allocate(9 + command.length)
                .put(LogFormat.stampHeader(1_700_000_000_123L)).put(command).flip();
        StampedCommand stamped = LogFormat.decodeLogEntry(entry);
        assertThat(stamped.leaderMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(((Command.Delete) stamped.command()).key()).isEqualTo(bytes("k"));
        // An entry from before stamps is the command alone.
        assertThat(LogFormat.decodeLogEntry(ByteBuffer.wrap(command)).leaderMillis()).isEqualTo(-1);
        // Only the leader stamps: a client's command cannot carry a stamp of its own.
        assertThatThrownBy(() -> LogFormat.decodeCommand(entry.rewind()))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void putRoundTripsWithEveryPreconditionKind() {
        for (Precondition p : List.of(Precondition.NONE, Precondition.EXISTS, Precondition.ABSENT,
                Precondition.modRevisionIs(Long.MAX_VALUE), Precondition.modRevisionIn(List.of(3L, 9L, 12L)),
                Precondition.modRevisionIn(List.of()))) {
            Command.Put put = new Command.Put(bytes("users/42"), new byte[] {0, -1, 127, -128}, p);
            Command decoded = LogFormat.decodeCommand(ByteBuffer.wrap(LogFormat.encode(put)));
            assertThat(decoded).isInstanceOf(Command.Put.class);
            Command.Put back = (Command.Put) decoded;
            assertThat(back.key()).isEqualTo(put.key());
            assertThat(back.value()).isEqualTo(put.value());
            assertThat(back.precondition()).isEqualTo(p);
        }
    }

    @Test
    void emptyValueRoundTrips() {
        Command.Put put = new Command.Put(bytes("k"), new byte[0], Precondition.NONE);
        Command.Put back = (Command.Put) LogFormat.decodeCommand(ByteBuffer.wrap(LogFormat.encode(put)));
        assertThat(back.value()).isEmpty();
    }

    @Test
    void batchRoundTripsAndHoldsOnlyKeyWrites() {
        Command.Batch batch = new Command.Batch(java.util.List.of(
                new Command.Put(bytes("a"), bytes("1"), Precondition.NONE),
                new Command.Put(bytes("b"), bytes("2"), Precondition.ABSENT, 77),
                new Command.Delete(bytes("c"), Precondition.modRevisionIs(3))));
        Command back = LogFormat.decodeCommand(ByteBuffer.wrap(LogFormat.encode(batch)));
        assertThat(back).isInstanceOf(Command.Batch.class);
        java.util.List<Command.KeyCommand> writes = ((Command.Batch) back).writes();
        assertThat(writes).hasSize(3);
        assertThat(writes.get(0).key()).isEqualTo(bytes("a"));
        assertThat(((Command.Put) writes.get(1)).lease()).isEqualTo(77);
        assertThat(writes.get(1).precondition()).isEqualTo(Precondition.ABSENT);
        assertThat(writes.get(2)).isInstanceOf(Command.Delete.class);
        assertThat(writes.get(2).precondition()).isEqualTo(Precondition.modRevisionIs(3));

        io.ordinal.command.BatchResult result = new io.ordinal.command.BatchResult(java.util.List.of(
                new WriteResult(WriteResult.Outcome.CREATED, 5, 0),
                new WriteResult(WriteResult.Outcome.PRECONDITION_FAILED, 0, 4)));
        assertThat(ResultFormat.decodeBatchResult(ByteBuffer.wrap(ResultFormat.encode(result)))).isEqualTo(result);

        // A batch inside a batch is not a key write: the codec refuses it.
        byte[] inner = LogFormat.encode(new Command.Batch(java.util.List.of(
                new Command.Put(bytes("a"), bytes("1"), Precondition.NONE))));
        byte[] outer = LogFormat.encode(new Command.Batch(java.util.List.of(
                new Command.Put(bytes("x"), inner, Precondition.NONE))));
        assertThat(LogFormat.decodeCommand(ByteBuffer.wrap(outer))).isInstanceOf(Command.Batch.class);
        ByteBuffer nested = ByteBuffer.allocate(1 + 4 + 4 + inner.length);
        nested.put(LogFormat.encode(new Command.Batch(java.util.List.of()))[0]).putInt(1).putInt(inner.length).put(inner).flip();
        assertThatThrownBy(() -> LogFormat.decodeCommand(nested)).isInstanceOf(CodecException.class);
    }

    @Test
    void deleteRoundTrips() {
        Command.Delete delete = new Command.Delete(bytes("k"), Precondition.modRevisionIs(7));
        Command.KeyCommand back = (Command.KeyCommand) LogFormat.decodeCommand(ByteBuffer.wrap(LogFormat.encode(delete)));
        assertThat(back).isInstanceOf(Command.Delete.class);
        assertThat(back.key()).isEqualTo(bytes("k"));
        assertThat(back.precondition()).isEqualTo(Precondition.modRevisionIs(7));
    }

    @Test
    void truncatedOrForeignBytesAreRejectedNotMisread() {
        byte[] full = LogFormat.encode(new Command.Put(bytes("key"), bytes("value"), Precondition.NONE));
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThatThrownBy(() -> LogFormat.decodeCommand(ByteBuffer.wrap(cut)))
                    .isInstanceOf(CodecException.class);
        }
        byte[] query = QueryFormat.encode(new Query.Get(bytes("k")));
        assertThatThrownBy(() -> LogFormat.decodeCommand(ByteBuffer.wrap(query)))
                .isInstanceOf(CodecException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
