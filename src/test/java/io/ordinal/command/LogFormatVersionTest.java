package io.ordinal.command;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The log is kept forever: a replica upgraded in place replays the entries it wrote before. The hex
 * below was written by the encoder of the release before the log format carried a version byte
 * (December 2026), so these tests fail if a change to the codec stops reading what logs hold.
 */
class LogFormatVersionTest {

    /** Commands as the release before logged them: tag first, no version, no stamp (before stamps). */
    private static final Map<String, Command> UNVERSIONED = Map.ofEntries(
            Map.entry("010000000000000000016b0000000176", new Command.Put(b("k"), b("v"), Precondition.NONE)),
            Map.entry("040100000001000000000000000700000003612f620000000576616c7565000000000000002a",
                    new Command.Put(b("a/b"), b("value"), Precondition.modRevisionIs(7), 42)),
            Map.entry("02010000000200000000000000030000000000000009000000016b",
                    new Command.Delete(b("k"), Precondition.modRevisionIn(List.of(3L, 9L)))),
            Map.entry("03", new Command.Barrier()),
            Map.entry("0500000001000000016300030000000000000005ffffffff0000000201000000017000000001710000000000000000"
                            + "0400000002782f00000002030000000167020000000164",
                    new Command.Txn(List.of(new Compare(b("c"), Compare.Target.MOD_REVISION, Compare.Op.GREATER, 5, null)),
                            List.of(new TxnOp.Put(b("p"), b("q"), 0), new TxnOp.DeletePrefix(b("x/"))),
                            List.of(new TxnOp.Get(b("g")), new TxnOp.Delete(b("d"))))),
            Map.entry("06000000000000001e", new Command.LeaseGrant(30)),
            Map.entry("070000000000000009", new Command.LeaseKeepAlive(9)),
            Map.entry("080000000000000009", new Command.LeaseRevoke(9)),
            Map.entry("12000000000000000900000000000000040000010000000000", new Command.LeaseExpire(9, 4, 1L << 40)),
            Map.entry("2800000000000003e80000000000100000", new Command.SetHistoryRetention(1000, 1L << 20)),
            Map.entry("090000000200000012010300000000000000026b310000000276310000000c020200000000000000026b32",
                    new Command.Batch(List.of(new Command.Put(b("k1"), b("v1"), Precondition.ABSENT),
                            new Command.Delete(b("k2"), Precondition.EXISTS)))));

    @Test
    void entriesOfTheReleaseBeforeVersionsDecodeToTheSameCommands() {
        UNVERSIONED.forEach((hex, command) -> {
            StampedCommand decoded = LogFormat.decodeLogEntry(ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
            assertThat(decoded.leaderMillis()).as(hex).isEqualTo(-1);
            assertThat(decoded.command()).as(hex).usingRecursiveComparison().isEqualTo(command);
        });
    }

    @Test
    void stampedEntriesOfTheReleaseBeforeVersionsDecodeWithTheLeadersClock() {
        // Tag 50, the leader's clock, then the command as the client sent it.
        StampedCommand delete = LogFormat.decodeLogEntry(ByteBuffer.wrap(HexFormat.of().parseHex(
                "320000018bcfe5687b" + "020000000000000000016b")));
        assertThat(delete.leaderMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(delete.command()).usingRecursiveComparison().isEqualTo(new Command.Delete(b("k"), Precondition.NONE));

        StampedCommand put = LogFormat.decodeLogEntry(ByteBuffer.wrap(HexFormat.of().parseHex(
                "320000019af232b200" + "040100000001000000000000000700000003612f620000000576616c7565000000000000002a")));
        assertThat(put.leaderMillis()).isEqualTo(1_765_000_000_000L);
        assertThat(put.command()).usingRecursiveComparison()
                .isEqualTo(new Command.Put(b("a/b"), b("value"), Precondition.modRevisionIs(7), 42));
    }

    @Test
    void aNewEntryStartsWithItsFormatVersionThenTheLeadersClockThenTheCommandAsSent() {
        byte[] command = LogFormat.encode(new Command.Put(b("k"), b("v"), Precondition.NONE));
        byte[] header = LogFormat.stampHeader(1_765_000_000_000L);
        assertThat(HexFormat.of().formatHex(header)).isEqualTo("81" + "0000019af232b200");
        StampedCommand decoded = LogFormat.decodeLogEntry(ByteBuffer.allocate(header.length + command.length)
                .put(header).put(command).flip());
        assertThat(decoded.leaderMillis()).isEqualTo(1_765_000_000_000L);
        assertThat(decoded.command()).usingRecursiveComparison().isEqualTo(new Command.Put(b("k"), b("v"), Precondition.NONE));
    }

    @Test
    void theVersionByteIsUnlikeTheFirstByteOfEveryEntryBeforeIt() {
        // Every unversioned entry starts with a command tag or the stamp's tag 50: all below 0x80.
        UNVERSIONED.keySet().forEach(hex -> assertThat(HexFormat.of().parseHex(hex)[0]).as(hex).isBetween((byte) 1, (byte) 50));
        assertThat(LogFormat.stampHeader(0)[0] & 0x80).isEqualTo(0x80);
    }

    @Test
    void anEntryOfAnUnknownFormatVersionIsRefusedNotMisread() {
        byte[] command = LogFormat.encode(new Command.Barrier());
        for (int version : new int[] {0x80, 0x82, 0xff}) {
            ByteBuffer entry = ByteBuffer.allocate(9 + command.length).put((byte) version).putLong(1L).put(command).flip();
            assertThatThrownBy(() -> LogFormat.decodeLogEntry(entry))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("log format version " + (version & 0x7f) + ",");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
