package io.ordinal.api;

import io.ordinal.client.Watcher.Position;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A watch event's id and the place a {@code Last-Event-ID} resumes from are one and the same. */
class EventIdsTest {

    @Test
    void aPlainRevisionMeansTheWholeRevisionWasSeen() {
        assertThat(EventIds.resumeAfter("57")).isEqualTo(Position.at(58));
        assertThat(EventIds.resumeAfter(" 0 ")).isEqualTo(Position.at(1));
        assertThat(EventIds.of(Position.at(58))).isEqualTo("57");
    }

    @Test
    void anIdInsideARevisionResumesWithTheRestOfIt() {
        assertThat(EventIds.resumeAfter("57.0")).isEqualTo(new Position(57, 1));
        assertThat(EventIds.resumeAfter("57.2")).isEqualTo(new Position(57, 3));
        assertThat(EventIds.of(new Position(57, 1))).isEqualTo("57.0");
        for (Position p : new Position[] {Position.at(1), new Position(9, 4), Position.at(123_456_789_012L)}) {
            assertThat(EventIds.resumeAfter(EventIds.of(p))).isEqualTo(p);
        }
    }

    @Test
    void anythingElseIsABadParameter() {
        for (String bad : new String[] {"x", "-1", "5.", ".5", "5.x", "0.0", "5.-1", "1.2.3", "99999999999999999999"}) {
            assertThatThrownBy(() -> EventIds.resumeAfter(bad)).as(bad).isInstanceOf(ApiException.class)
                    .extracting(e -> ((ApiException) e).status()).isEqualTo(400);
        }
    }
}
