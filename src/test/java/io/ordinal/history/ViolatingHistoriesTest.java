package io.ordinal.history;

import org.junit.jupiter.api.Test;

import static io.ordinal.history.Checks.assertNotLinearizable;
import static io.ordinal.history.Ops.cas;
import static io.ordinal.history.Ops.casFailed;
import static io.ordinal.history.Ops.create;
import static io.ordinal.history.Ops.createFailed;
import static io.ordinal.history.Ops.delete;
import static io.ordinal.history.Ops.put;
import static io.ordinal.history.Ops.putUnknown;
import static io.ordinal.history.Ops.read;
import static io.ordinal.history.Ops.readAbsent;
import static org.assertj.core.api.Assertions.assertThat;

/** Hand-made histories the checker must reject, each small enough to check by eye. Times are arbitrary units. */
class ViolatingHistoriesTest {

    private static final String K = "k";

    @Test
    void staleReadAfterAWriteCompleted() {
        CheckResult result = assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                put(1, 20, 30, K, "b", 2, 1),
                read(2, 40, 50, K, "a", 1));
        KeyViolation violation = result.keys().get(K).violation();
        assertThat(violation.longestPrefix()).extracting(OperationRef::id).containsExactly(0, 1);
        assertThat(violation.unplaceable()).extracting(u -> u.operation().id()).containsExactly(2);
        assertThat(result.report()).contains("#2 client 2 read(\"k\") -> found \"a\" modRevision=1");
    }

    @Test
    void lostWriteSeenAsTheValueBeforeItInALaterRead() {
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                put(2, 20, 30, K, "b", 2, 1),
                read(3, 40, 50, K, "a", 1),
                read(3, 60, 70, K, "a", 1));
    }

    @Test
    void lostWriteSeenThroughTheNextWritesPreviousRevision() {
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                put(2, 20, 30, K, "b", 2, 1),
                put(3, 40, 50, K, "c", 3, 1));
    }

    @Test
    void readOfAValueNeverWritten() {
        CheckResult result = assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                read(2, 20, 30, K, "ghost", 1));
        assertThat(result.report()).contains("no operation on this key writes \"ghost\"");
    }

    @Test
    void readOfAValueWhoseWriteFailed() {
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                createFailed(1, 20, 30, K, "b", 1),
                read(2, 40, 50, K, "b", 1));
    }

    @Test
    void readOfAValueBeforeItsWriteWasInvoked() {
        assertNotLinearizable(
                read(1, 0, 10, K, "b", 5),
                putUnknown(2, 20, K, "b"));
    }

    @Test
    void twoIfMatchSuccessesOnTheSameRevision() {
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                cas(1, 20, 40, K, "b", 1, 2),
                cas(2, 20, 40, K, "c", 1, 3));
    }

    @Test
    void twoCreateSuccesses() {
        assertNotLinearizable(
                create(1, 0, 20, K, "a", 1),
                create(2, 0, 20, K, "b", 2));
    }

    @Test
    void revisionGoingBackwardsOnOneKey() {
        CheckResult result = assertNotLinearizable(
                put(1, 0, 10, K, "a", 5, 0),
                put(1, 20, 30, K, "b", 3, 5));
        assertThat(result.keys().get(K).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void revisionGoingBackwardsAcrossKeys() {
        CheckResult result = assertNotLinearizable(
                put(1, 0, 10, "x", "a", 5, 0),
                put(1, 20, 30, "y", "b", 3, 0));
        assertThat(result.keysWith(Verdict.LINEARIZABLE)).hasSize(2);
        assertThat(result.revisionViolations()).singleElement()
                .satisfies(v -> assertThat(v.description()).contains("went backwards"));
    }

    @Test
    void readRevisionGoingBackwardsAcrossKeys() {
        // A read showed revision 9 on x before the write to y was invoked; y's write cannot get 8.
        CheckResult result = assertNotLinearizable(
                putUnknown(1, 0, "x", "a"),
                read(2, 20, 30, "x", "a", 9),
                put(2, 40, 50, "y", "b", 8, 0));
        assertThat(result.keysWith(Verdict.LINEARIZABLE)).hasSize(2);
    }

    @Test
    void twoAcknowledgedWritesOnDifferentKeysWithOneRevision() {
        CheckResult result = assertNotLinearizable(
                put(1, 0, 10, "x", "a", 5, 0),
                put(2, 0, 10, "y", "b", 5, 0));
        assertThat(result.revisionViolations()).singleElement()
                .satisfies(v -> assertThat(v.description()).isEqualTo("two acknowledged writes got revision 5"));
    }

    @Test
    void readWhoseModRevisionDisagreesWithTheWriteOfItsValue() {
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                read(2, 20, 30, K, "a", 2));
    }

    @Test
    void unknownWriteRevealedWithTwoDifferentRevisions() {
        assertNotLinearizable(
                putUnknown(1, 0, K, "a"),
                read(2, 20, 30, K, "a", 4),
                read(2, 40, 50, K, "a", 5));
    }

    @Test
    void unknownWriteRevealedBelowTheRevisionItOverwrote() {
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 4, 0),
                putUnknown(1, 20, K, "b"),
                read(2, 40, 50, K, "b", 3));
    }

    @Test
    void preconditionFailedWithACurrentRevisionNoStateHad() {
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                casFailed(2, 20, 30, K, "b", 9, 4));
    }

    @Test
    void preconditionFailedNamingTheRevisionItExpected() {
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                casFailed(2, 20, 30, K, "b", 1, 1));
    }

    @Test
    void createRefusedOnAnAbsentKey() {
        assertNotLinearizable(
                createFailed(1, 0, 10, K, "a", 0));
    }

    @Test
    void deleteAcknowledgedButTheValueIsStillThere() {
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                delete(1, 20, 30, K),
                read(2, 40, 50, K, "a", 1));
    }

    @Test
    void writeAfterADeleteReusingTheRevisionTheDeleteMustHaveTaken() {
        // A delete takes a revision (the contract: "a delete is a write and takes a revision
        // too"), so the key's next write is at least two above the write before the delete.
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                delete(1, 20, 30, K),
                create(1, 40, 50, K, "b", 2));
    }

    @Test
    void chainOfUnknownWritesThatDoNotFitBetweenTwoKnownRevisions() {
        // b and c both took effect (reads saw them) between revisions 10 and 12: only 11 is free.
        assertNotLinearizable(
                put(1, 0, 10, K, "a", 10, 0),
                putUnknown(2, 20, K, "b"),
                read(1, 40, 50, K, "b", 11),
                putUnknown(2, 60, K, "c"),
                read(1, 80, 90, K, "c", 11),
                put(1, 100, 110, K, "d", 12, 11));
    }

    @Test
    void anUnknownWriteCannotTakeEffectTwice() {
        // One write of unknown outcome can make the key present for one of the deletes, not both.
        CheckResult result = assertNotLinearizable(
                putUnknown(1, 0, K, "a"),
                delete(2, 10, 20, K),
                readAbsent(2, 30, 40, K),
                delete(2, 50, 60, K));
        assertThat(result.keys().get(K).violation().unplaceable()).extracting(u -> u.operation().id()).containsExactly(3);
    }
}
