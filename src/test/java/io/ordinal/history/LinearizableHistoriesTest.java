package io.ordinal.history;

import org.junit.jupiter.api.Test;

import static io.ordinal.history.Checks.assertLinearizable;
import static io.ordinal.history.Ops.cas;
import static io.ordinal.history.Ops.casFailed;
import static io.ordinal.history.Ops.casUnknown;
import static io.ordinal.history.Ops.create;
import static io.ordinal.history.Ops.createFailed;
import static io.ordinal.history.Ops.createUnknown;
import static io.ordinal.history.Ops.delete;
import static io.ordinal.history.Ops.deleteAbsent;
import static io.ordinal.history.Ops.deleteIfMatch;
import static io.ordinal.history.Ops.deleteIfMatchFailed;
import static io.ordinal.history.Ops.deleteIfMatchUnknown;
import static io.ordinal.history.Ops.deleteUnknown;
import static io.ordinal.history.Ops.put;
import static io.ordinal.history.Ops.putUnknown;
import static io.ordinal.history.Ops.read;
import static io.ordinal.history.Ops.readAbsent;
import static io.ordinal.history.Ops.readUnknown;

/** Hand-made histories the checker must accept, each small enough to check by eye. Times are arbitrary units. */
class LinearizableHistoriesTest {

    private static final String K = "k";

    @Test
    void sequentialPutsAndReads() {
        assertLinearizable(
                readAbsent(1, 0, 5, K),
                put(1, 10, 20, K, "a", 1, 0),
                read(2, 30, 40, K, "a", 1),
                put(2, 50, 60, K, "b", 2, 1),
                read(1, 70, 80, K, "b", 2));
    }

    @Test
    void concurrentWritesTakeEffectInTheOrderTheirRevisionsSayNotTheOrderTheyWereInvoked() {
        assertLinearizable(
                put(1, 0, 100, K, "a", 2, 1),
                put(2, 10, 90, K, "b", 1, 0),
                read(3, 110, 120, K, "a", 2));
    }

    @Test
    void aReadConcurrentWithAWriteSeesEitherTheOldOrTheNewValue() {
        assertLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                put(1, 20, 100, K, "b", 2, 1),
                read(2, 30, 40, K, "b", 2),
                read(3, 30, 40, K, "a", 1),
                read(3, 50, 60, K, "b", 2));
    }

    @Test
    void revisionsOfAKeyMayJumpBecauseOtherKeysTakeRevisionsInBetween() {
        assertLinearizable(
                put(1, 0, 10, K, "a", 3, 0),
                put(1, 20, 30, K, "b", 17, 3),
                read(1, 40, 50, K, "b", 17));
    }

    @Test
    void unknownWriteThatNeverTookEffect() {
        assertLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                putUnknown(2, 20, K, "b"),
                read(3, 40, 50, K, "a", 1),
                put(3, 60, 70, K, "c", 5, 1),
                read(3, 80, 90, K, "c", 5));
    }

    @Test
    void unknownWriteThatTookEffectAfterItsClientGaveUpIsRevealedByALaterRead() {
        assertLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                putUnknown(2, 20, K, "b"),
                read(3, 40, 50, K, "a", 1),
                read(3, 60, 70, K, "b", 7),
                read(1, 80, 90, K, "b", 7),
                put(1, 100, 110, K, "c", 9, 7));
    }

    @Test
    void unknownWriteRevealedOnlyByTheNextWritesPreviousRevision() {
        assertLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                putUnknown(2, 20, K, "b"),
                put(1, 40, 50, K, "c", 9, 4),
                read(1, 60, 70, K, "c", 9));
    }

    @Test
    void unknownReadsTellNothing() {
        assertLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                readUnknown(2, 5, K),
                readUnknown(2, 50, K));
    }

    @Test
    void casRaceHasOneWinnerAndTheLoserSeesTheWinnersRevision() {
        assertLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                cas(1, 20, 40, K, "b", 1, 3),
                casFailed(2, 25, 45, K, "c", 1, 3),
                read(3, 50, 60, K, "b", 3));
    }

    @Test
    void casLoserMayHaveBeenDecidedBeforeTheWinner() {
        // The loser expected revision 2 and saw 1: it was decided before the winner took effect.
        assertLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                cas(1, 20, 40, K, "b", 1, 3),
                casFailed(2, 25, 45, K, "c", 2, 1),
                read(3, 50, 60, K, "b", 3));
    }

    @Test
    void createOnlyRaceHasOneWinner() {
        assertLinearizable(
                create(1, 0, 20, K, "a", 2),
                createFailed(2, 5, 25, K, "b", 2),
                read(3, 30, 40, K, "a", 2));
    }

    @Test
    void deleteThen404() {
        assertLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                delete(1, 20, 30, K),
                deleteAbsent(2, 40, 50, K),
                readAbsent(2, 60, 70, K),
                create(1, 80, 90, K, "b", 4),
                read(1, 100, 110, K, "b", 4));
    }

    @Test
    void readsAndConditionalWritesOfAbsentKeys() {
        assertLinearizable(
                readAbsent(1, 0, 10, K),
                deleteAbsent(1, 20, 30, K),
                deleteIfMatchFailed(2, 20, 30, K, 5, 0),
                casFailed(2, 40, 50, K, "a", 3, 0),
                readAbsent(1, 60, 70, "other"));
    }

    @Test
    void conditionalDeleteOfTheCurrentRevision() {
        assertLinearizable(
                put(1, 0, 10, K, "a", 4, 0),
                deleteIfMatchFailed(2, 20, 30, K, 3, 4),
                deleteIfMatch(2, 40, 50, K, 4),
                readAbsent(1, 60, 70, K));
    }

    @Test
    void unknownDeleteThatTookEffect() {
        assertLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                deleteUnknown(2, 20, K),
                read(1, 40, 50, K, "a", 1),
                readAbsent(1, 60, 70, K));
    }

    @Test
    void unknownCreateRevealedByALoserOfACreateRace() {
        assertLinearizable(
                createUnknown(1, 0, K, "a"),
                createFailed(2, 20, 30, K, "b", 6),
                read(2, 40, 50, K, "a", 6));
    }

    @Test
    void unknownCasOnAnUnseenRevisionMayHaveApplied() {
        assertLinearizable(
                putUnknown(1, 0, K, "a"),
                casUnknown(2, 20, K, "b", 5),
                read(3, 40, 50, K, "b", 8),
                put(3, 60, 70, K, "c", 9, 8));
    }

    @Test
    void unknownCasOnAnUnseenRevisionMayHaveFailed() {
        assertLinearizable(
                putUnknown(1, 0, K, "a"),
                casUnknown(2, 20, K, "b", 5),
                read(3, 40, 50, K, "a", 6),
                put(3, 60, 70, K, "c", 9, 6));
    }

    @Test
    void unknownConditionalDeleteOfAnUnseenRevisionMayHaveApplied() {
        assertLinearizable(
                putUnknown(1, 0, K, "a"),
                deleteIfMatchUnknown(2, 20, K, 5),
                readAbsent(3, 40, 50, K),
                create(3, 60, 70, K, "c", 7));
    }

    @Test
    void touchingIntervalsCountAsConcurrent() {
        // The read was invoked at the instant the write completed; either order is allowed.
        assertLinearizable(
                put(1, 0, 10, K, "a", 1, 0),
                put(1, 20, 30, K, "b", 2, 1),
                read(2, 30, 40, K, "a", 1));
    }
}
