package io.ordinal.process;

import io.ordinal.drill.CreateOnlyWriters;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The process tests' assertions on what {@link CreateOnlyWriters} saw: nothing lost, nothing applied twice. */
final class WriterChecks {

    private WriterChecks() {
    }

    /** Waits (up to a minute) until {@code n} writes were acknowledged since the last mark. */
    static void awaitAcknowledged(CreateOnlyWriters writers, int n) {
        assertThat(writers.awaitAcknowledged(n, Duration.ofSeconds(60))).as("%d more writes acknowledged within 60 s", n).isTrue();
    }

    static void assertEveryAcknowledgedWriteIsReadable(CreateOnlyWriters writers) {
        assertThat(writers.acknowledged()).isNotEmpty();
        assertThat(writers.unreadable()).as("acknowledged writes not read back with their value").isEmpty();
    }

    static void assertNoWriteAppliedTwiceOrRefused(CreateOnlyWriters writers) {
        assertThat(writers.selfConflicts()).as("create-only writes that answered 412 for their own success").isEmpty();
        assertThat(writers.unexpected()).as("answers other than 201, 503 or a timeout").isEmpty();
    }
}
