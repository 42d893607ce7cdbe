package io.ordinal.history;

import org.junit.jupiter.api.Test;

import static io.ordinal.history.Ops.delete;
import static io.ordinal.history.Ops.deleteUnknown;
import static io.ordinal.history.Ops.put;
import static io.ordinal.history.Ops.putUnknown;
import static io.ordinal.history.Ops.read;
import static io.ordinal.history.Ops.readAbsent;
import static org.assertj.core.api.Assertions.assertThat;

class LostWritesTest {

    private static final String K = "k";

    @Test
    void writesTheFinalReadShowsOrThatWereOverwrittenAreNotLost() {
        History history = History.of(
                put(1, 0, 10, K, "a", 1, 0),
                put(1, 20, 30, K, "b", 2, 1),
                put(2, 40, 50, K, "c", 4, 2),
                read(3, 60, 70, K, "c", 4));
        assertThat(LostWrites.find(history)).isEmpty();
    }

    @Test
    void anAcknowledgedWriteTheFinalReadDoesNotShowIsLostAndTheKeyIsNotLinearizable() {
        History history = History.of(
                put(1, 0, 10, K, "a", 1, 0),
                put(2, 20, 30, K, "b", 2, 1),
                read(3, 60, 70, K, "a", 1));
        assertThat(LostWrites.find(history)).singleElement().satisfies(lost -> {
            assertThat(lost.write().id()).isEqualTo(1);
            assertThat(lost.finalRead().id()).isEqualTo(2);
            assertThat(lost.why()).contains("older revision 1");
        });
        assertThat(new LinearizabilityChecker().check(history).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aWriteOverwrittenByAWriteOfUnknownOutcomeIsNotLost() {
        History history = History.of(
                put(1, 0, 10, K, "a", 1, 0),
                putUnknown(2, 20, K, "b"),
                read(3, 60, 70, K, "b", 5));
        assertThat(LostWrites.find(history)).isEmpty();
    }

    @Test
    void aWriteThatADeleteMayHaveFollowedIsNotLostWhenTheKeyIsAbsent() {
        assertThat(LostWrites.find(History.of(
                put(1, 0, 10, K, "a", 1, 0),
                delete(2, 5, 30, K),
                readAbsent(3, 60, 70, K)))).isEmpty();
        assertThat(LostWrites.find(History.of(
                put(1, 0, 10, K, "a", 1, 0),
                deleteUnknown(2, 5, K),
                readAbsent(3, 60, 70, K)))).isEmpty();
    }

    @Test
    void aWriteNoDeleteCouldHaveFollowedIsLostWhenTheKeyIsAbsent() {
        History history = History.of(
                delete(2, 0, 5, K),
                put(1, 10, 20, K, "a", 1, 0),
                readAbsent(3, 60, 70, K));
        assertThat(LostWrites.find(history)).singleElement()
                .satisfies(lost -> assertThat(lost.write().id()).isEqualTo(1));
    }

    @Test
    void writesStillInFlightWhenTheFinalReadBeganAreNotJudged() {
        History history = History.of(
                put(1, 0, 10, K, "a", 1, 0),
                put(2, 20, 80, K, "b", 2, 1),
                read(3, 60, 70, K, "a", 1));
        assertThat(LostWrites.find(history)).isEmpty();
    }
}
