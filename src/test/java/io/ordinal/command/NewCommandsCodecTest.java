package io.ordinal.command;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A round trip for every command, query and answer that transactions, watches and leases added. */
class NewCommandsCodecTest {

    @Test
    void aPutWithALeaseRoundTripsAndAPutWithoutOneKeepsItsOldTag() {
        Command.Put leased = new Command.Put(b("k"), b("v"), Precondition.ABSENT, 42);
        Command.Put back = (Command.Put) decode(LogFormat.encode(leased));
        assertThat(back.lease()).isEqualTo(42);
        assertThat(back.precondition()).isEqualTo(Precondition.ABSENT);
        assertThat(back.value()).isEqualTo(b("v"));
        assertThat(LogFormat.encode(new Command.Put(b("k"), b("v"), Precondition.NONE))[0]).isEqualTo((byte) 1);
    }

    @Test
    void aTransactionRoundTripsWithEveryCompareAndOperation() {
        Command.Txn txn = new Command.Txn(
                List.of(new Compare(b("a"), Compare.Target.MOD_REVISION, Compare.Op.EQUAL, 5, null),
                        new Compare(b("b"), Compare.Target.CREATE_REVISION, Compare.Op.LESS, 0, null),
                        new Compare(b("c"), Compare.Target.VALUE, Compare.Op.NOT_EQUAL, 0, new byte[] {0, -1}),
                        new Compare(b("d"), Compare.Target.EXISTS, Compare.Op.GREATER, 1, null)),
                List.of(new TxnOp.Put(b("x"), b("1"), 7), new TxnOp.Delete(b("y")), new TxnOp.Get(b("z")),
                        new TxnOp.DeletePrefix(b("p/"))),
                List.of(new TxnOp.Get(b("only"))));
        Command.Txn back = (Command.Txn) decode(LogFormat.encode(txn));
        assertThat(back.compares()).hasSize(4);
        assertThat(back.compares().get(2).value()).isEqualTo(new byte[] {0, -1});
        assertThat(back.compares().get(3).target()).isEqualTo(Compare.Target.EXISTS);
        assertThat(back.compares().get(0).number()).isEqualTo(5);
        assertThat(back.success()).hasSize(4);
        assertThat(((TxnOp.Put) back.success().get(0)).lease()).isEqualTo(7);
        assertThat(((TxnOp.DeletePrefix) back.success().get(3)).prefix()).isEqualTo(b("p/"));
        assertThat(((TxnOp.Get) back.failure().get(0)).key()).isEqualTo(b("only"));
    }

    @Test
    void leaseCommandsRoundTrip() {
        assertThat(decode(LogFormat.encode(new Command.LeaseGrant(30)))).isEqualTo(new Command.LeaseGrant(30));
        assertThat(decode(LogFormat.encode(new Command.LeaseKeepAlive(9)))).isEqualTo(new Command.LeaseKeepAlive(9));
        assertThat(decode(LogFormat.encode(new Command.LeaseRevoke(9)))).isEqualTo(new Command.LeaseRevoke(9));
    }

    @Test
    void aFencedExpiryRoundTripsAndARevokeKeepsTheBytesOldLogsHold() {
        Command.LeaseExpire expire = new Command.LeaseExpire(9, Long.MAX_VALUE, 1L << 40);
        assertThat(decode(LogFormat.encode(expire))).isEqualTo(expire);
        // A revoke as the log holds it, from before expiry was fenced: tag 8, then the id.
        byte[] logged = ByteBuffer.allocate(9).put((byte) 8).putLong(9).array();
        assertThat(LogFormat.encode(new Command.LeaseRevoke(9))).isEqualTo(logged);
        assertThat(decode(logged)).isEqualTo(new Command.LeaseRevoke(9));
        byte[] truncated = java.util.Arrays.copyOf(LogFormat.encode(expire), 1 + 16);
        assertThatThrownBy(() -> decode(truncated))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void newQueriesRoundTrip() {
        Query.Changes changes = (Query.Changes) QueryFormat.decodeQuery(ByteBuffer.wrap(
                QueryFormat.encode(new Query.Changes(12, 3, b("p"), true, 1000, 5000))));
        assertThat(changes.fromRevision()).isEqualTo(12);
        assertThat(changes.fromSeq()).isEqualTo(3);
        assertThat(changes.prefix()).isTrue();
        assertThat(changes.waitMillis()).isEqualTo(5000);
        assertThat(QueryFormat.decodeQuery(ByteBuffer.wrap(QueryFormat.encode(new Query.Status()))))
                .isInstanceOf(Query.Status.class);
        assertThat(QueryFormat.decodeQuery(ByteBuffer.wrap(QueryFormat.encode(new Query.LeaseInfo(4, 10)))))
                .isEqualTo(new Query.LeaseInfo(4, 10));
    }

    @Test
    void answersRoundTrip() {
        TxnResult txn = new TxnResult(true, 9, List.of(new TxnResult.Put(3), new TxnResult.Delete(0),
                new TxnResult.DeletePrefix(4), new TxnResult.Get(null, 0, 0),
                new TxnResult.Get(new KeyValue(b("k"), b("v"), 8), 2, 11)), 0);
        TxnResult txnBack = ResultFormat.decodeTxnResult(ByteBuffer.wrap(ResultFormat.encode((CommandResult) txn)));
        assertThat(txnBack.revision()).isEqualTo(9);
        assertThat(txnBack.results().subList(0, 4)).isEqualTo(txn.results().subList(0, 4));
        TxnResult.Get got = (TxnResult.Get) txnBack.results().get(4);
        assertThat(got.found().value()).isEqualTo(b("v"));
        assertThat(got.createRevision()).isEqualTo(2);
        assertThat(got.lease()).isEqualTo(11);

        LeaseResult lease = new LeaseResult(true, 5, 30, 12, 2);
        assertThat(ResultFormat.decodeLeaseResult(ByteBuffer.wrap(ResultFormat.encode((CommandResult) lease)))).isEqualTo(lease);

        ChangesResult changes = new ChangesResult(List.of(new Change(Change.Type.PUT, b("a"), b("1"), 4),
                new Change(Change.Type.DELETE, b("b"), null, 4)), 5, 0, 4, 1, false);
        ChangesResult changesBack = ResultFormat.decodeChangesResult(ByteBuffer.wrap(ResultFormat.encode(changes)));
        assertThat(changesBack.nextRevision()).isEqualTo(5);
        assertThat(changesBack.changes().get(0).value()).isEqualTo(b("1"));
        assertThat(changesBack.changes().get(1).value()).isNull();
        assertThat(changesBack.changes().get(1).type()).isEqualTo(Change.Type.DELETE);

        assertThat(ResultFormat.decodeStoreStatus(ByteBuffer.wrap(ResultFormat.encode(new StoreStatus(7, 3)))))
                .isEqualTo(new StoreStatus(7, 3));
        LeaseInfo info = ResultFormat.decodeLeaseInfo(ByteBuffer.wrap(ResultFormat.encode(
                new LeaseInfo(true, 5, 30, 1200, List.of(b("a"), b("b"))))));
        assertThat(info.keys()).extracting(String::new).containsExactly("a", "b");
        assertThat(info.remainingMillis()).isEqualTo(1200);
    }

    @Test
    void aTruncatedTransactionIsACodecErrorNotACrash() {
        byte[] bytes = LogFormat.encode(new Command.Txn(List.of(), List.of(new TxnOp.Get(b("k"))), List.of()));
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 2);
        assertThatThrownBy(() -> decode(cut)).isInstanceOf(CodecException.class);
    }

    private static Command decode(byte[] bytes) {
        return LogFormat.decodeCommand(ByteBuffer.wrap(bytes));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
