package io.ordinal.history;

import io.ordinal.history.GuardedAppends.Append;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GuardedAppendsTest {

    /** Client 1 holds the lock at revision 10, client 2 takes it over at 20, client 1 again at 30. */
    private static final List<Append> HANDOVERS = List.of(
            ok(1, 10, 1, 11), ok(1, 10, 2, 12),
            ok(2, 20, 1, 21), unknown(2, 20, 2), ok(2, 20, 3, 24),
            ok(1, 30, 1, 31));

    @Test
    void holdersTakingTurnsInTokenOrderWithEveryAcknowledgedAppendPass() {
        assertThat(GuardedAppends.check(HANDOVERS, "1:10:1 1:10:2 2:20:1 2:20:2 2:20:3 1:30:1")).isEmpty();
    }

    @Test
    void anAppendOfUnknownOutcomeMayBeMissing() {
        assertThat(GuardedAppends.check(HANDOVERS, "1:10:1 1:10:2 2:20:1 2:20:3 1:30:1")).isEmpty();
    }

    @Test
    void anAppendRefusedByItsCompareMayNotBeThere() {
        List<Append> appends = List.of(ok(1, 10, 1, 11), failed(1, 10, 2), ok(2, 20, 1, 21));
        assertThat(GuardedAppends.check(appends, "1:10:1 2:20:1")).isEmpty();
        assertThat(GuardedAppends.check(appends, "1:10:1 1:10:2 2:20:1"))
                .singleElement().asString().contains("'1:10:2' is an append its client was told failed");
    }

    @Test
    void interleavedHoldersAreCaught() {
        assertThat(GuardedAppends.check(HANDOVERS, "1:10:1 2:20:1 1:10:2 2:20:2 2:20:3 1:30:1"))
                .anySatisfy(p -> assertThat(p).contains("holders interleave").contains("'1:10:2'"));
    }

    @Test
    void aHolderWithAnOlderTokenAfterANewerOneIsCaught() {
        List<Append> appends = List.of(ok(2, 20, 1, 21), ok(1, 10, 1, 22));
        assertThat(GuardedAppends.check(appends, "2:20:1 1:10:1"))
                .singleElement().asString().contains("fencing tokens out of order");
    }

    @Test
    void aLostAcknowledgedAppendIsCaught() {
        assertThat(GuardedAppends.check(HANDOVERS, "1:10:1 2:20:1 2:20:2 2:20:3 1:30:1"))
                .singleElement().asString().startsWith("lost: the acknowledged append '1:10:2' (revision 12)");
        assertThat(GuardedAppends.check(HANDOVERS, ""))
                .hasSize(5).allSatisfy(p -> assertThat(p).startsWith("lost:"));
    }

    @Test
    void acknowledgedAppendsOutOfRevisionOrderAreCaught() {
        List<Append> appends = List.of(ok(1, 10, 1, 12), ok(1, 10, 2, 11));
        assertThat(GuardedAppends.check(appends, "1:10:1 1:10:2"))
                .anySatisfy(p -> assertThat(p).startsWith("acknowledged appends out of order"));
    }

    @Test
    void anEntryAppliedTwiceOrNeverTriedIsCaught() {
        assertThat(GuardedAppends.check(HANDOVERS, "1:10:1 1:10:2 1:10:2 2:20:1 2:20:3 1:30:1"))
                .singleElement().asString().contains("'1:10:2' was applied twice");
        assertThat(GuardedAppends.check(HANDOVERS, "1:10:1 1:10:2 3:25:1 2:20:1 2:20:3 1:30:1"))
                .singleElement().asString().contains("'3:25:1' is not an append any client tried");
    }

    private static Append ok(int client, long token, int seq, long revision) {
        return new Append(client, token, seq, Outcome.OK, revision);
    }

    private static Append unknown(int client, long token, int seq) {
        return new Append(client, token, seq, Outcome.UNKNOWN, 0);
    }

    private static Append failed(int client, long token, int seq) {
        return new Append(client, token, seq, Outcome.FAILED, 0);
    }
}
