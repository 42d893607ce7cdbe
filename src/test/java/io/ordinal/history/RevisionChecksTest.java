package io.ordinal.history;

import org.junit.jupiter.api.Test;

import static io.ordinal.history.Ops.casFailed;
import static io.ordinal.history.Ops.put;
import static io.ordinal.history.Ops.putUnknown;
import static io.ordinal.history.Ops.read;
import static org.assertj.core.api.Assertions.assertThat;

/** The store-wide revision rules, each checked on its own (the per-key search would catch some of these too). */
class RevisionChecksTest {

    @Test
    void writesInvokedAfterAResponseGetHigherRevisionsOnAnyKey() {
        History history = History.of(
                put(1, 0, 10, "x", "a", 5, 0),
                put(2, 5, 15, "y", "b", 4, 0),
                put(1, 20, 30, "y", "c", 6, 4),
                read(2, 40, 50, "x", "a", 5));
        assertThat(RevisionOrderCheck.check(history)).isEmpty();
        assertThat(RevisionIdentityCheck.check(history)).isEmpty();
    }

    @Test
    void aWriteGivenTheRevisionAResponseShowedBeforeItWasInvokedGoesBackwards() {
        History history = History.of(
                putUnknown(1, 0, "x", "a"),
                read(2, 10, 20, "x", "a", 9),
                put(2, 30, 40, "y", "b", 9, 0));
        assertThat(RevisionOrderCheck.check(history)).singleElement()
                .satisfies(v -> assertThat(v.operations()).extracting(OperationRef::id).containsExactly(1, 2));
    }

    @Test
    void aPreconditionFailureShowsTheCurrentRevisionToo() {
        History history = History.of(
                put(1, 0, 10, "x", "a", 7, 0),
                casFailed(2, 20, 30, "x", "b", 3, 7),
                put(2, 40, 50, "y", "c", 6, 0));
        assertThat(RevisionOrderCheck.check(history)).hasSize(1);
    }

    @Test
    void concurrentWritesMayGetRevisionsInEitherOrder() {
        History history = History.of(
                put(1, 0, 100, "x", "a", 9, 0),
                put(2, 10, 90, "y", "b", 8, 0));
        assertThat(RevisionOrderCheck.check(history)).isEmpty();
    }

    @Test
    void aReadOnOneKeyShowingAnotherKeysRevisionIsCaughtOnlyAcrossKeys() {
        History history = History.of(
                put(1, 0, 10, "x", "a", 5, 0),
                putUnknown(2, 0, "y", "b"),
                read(3, 20, 30, "y", "b", 5));
        CheckResult result = new LinearizabilityChecker().check(history);
        assertThat(result.keysWith(Verdict.LINEARIZABLE)).hasSize(2);
        assertThat(RevisionOrderCheck.check(history)).isEmpty();
        assertThat(result.revisionViolations()).singleElement()
                .satisfies(v -> assertThat(v.description()).isEqualTo("revision 5 is named for two keys"));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void twoReadsShowingOneRevisionWithDifferentValuesAreCaught() {
        History history = History.of(
                putUnknown(1, 0, "x", "a"),
                read(2, 20, 30, "x", "a", 5),
                putUnknown(1, 40, "x", "b"),
                read(2, 60, 70, "x", "b", 5));
        assertThat(RevisionIdentityCheck.check(history)).singleElement()
                .satisfies(v -> assertThat(v.description()).isEqualTo("revision 5 is named for two values"));
    }
}
