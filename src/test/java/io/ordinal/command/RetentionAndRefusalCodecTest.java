package io.ordinal.command;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The history retention set through the log, and the refusals of a transaction for a limit. */
class RetentionAndRefusalCodecTest {

    @Test
    void aHistoryRetentionChangeRoundTripsAndAnEmptyOneIsRejected() {
        Command.SetHistoryRetention retention = new Command.SetHistoryRetention(5, 1 << 20);
        assertThat(LogFormat.decodeCommand(ByteBuffer.wrap(LogFormat.encode(retention)))).isEqualTo(retention);
        byte[] none = LogFormat.encode(new Command.SetHistoryRetention(0, 1));
        assertThatThrownBy(() -> LogFormat.decodeCommand(ByteBuffer.wrap(none)))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void aTransactionRefusedForALimitSaysWhichAndAnAnswerWithoutTheRefusalsStillDecodes() {
        TxnResult fullLease = new TxnResult(true, 7, List.of(), 0, 42, false);
        TxnResult tooMany = new TxnResult(false, 7, List.of(), 0, 0, true);
        assertThat(ResultFormat.decodeTxnResult(ByteBuffer.wrap(ResultFormat.encode(fullLease)))).isEqualTo(fullLease);
        assertThat(ResultFormat.decodeTxnResult(ByteBuffer.wrap(ResultFormat.encode(tooMany)))).isEqualTo(tooMany);
        // A replica of the release before answers without the two refusals at the end.
        TxnResult plain = new TxnResult(true, 9, List.of(new TxnResult.DeletePrefix(3)), 0);
        byte[] encoded = ResultFormat.encode(plain);
        byte[] older = Arrays.copyOf(encoded, encoded.length - 9);
        assertThat(ResultFormat.decodeTxnResult(ByteBuffer.wrap(older))).isEqualTo(plain);
    }

    @Test
    void aPutRefusedForAFullLeaseRoundTrips() {
        WriteResult full = new WriteResult(WriteResult.Outcome.LEASE_FULL, 0, 3);
        assertThat(ResultFormat.decodeWriteResult(ByteBuffer.wrap(ResultFormat.encode(full)))).isEqualTo(full);
    }
}
