package io.ordinal.history;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExploredConfigurationsTest {

    private static final long[] DEFINITE = {0b1011};
    private static final RegisterState STATE = RegisterState.unrevealed("a", 4);

    /** Unknown operations 0 and 1 are a group (0 invoked first); 2 is alone. */
    private final ExploredConfigurations explored = new ExploredConfigurations(1, new boolean[] {true, false, true});

    @Test
    void aConfigurationIsExploredOnce() {
        assertThat(explored.add(DEFINITE, 7, new long[] {0b100}, STATE)).isTrue();
        assertThat(explored.add(DEFINITE, 7, new long[] {0b100}, STATE)).isFalse();
    }

    @Test
    void differentKnownOperationsOrStatesAreDifferentConfigurations() {
        explored.add(DEFINITE, 7, new long[] {0}, STATE);
        assertThat(explored.add(new long[] {0b1111}, 9, new long[] {0}, STATE)).isTrue();
        assertThat(explored.add(DEFINITE, 7, new long[] {0}, RegisterState.unrevealed("b", 4))).isTrue();
        assertThat(explored.add(DEFINITE, 7, new long[] {0}, RegisterState.present("a", 5))).isTrue();
    }

    @Test
    void aHigherFloorIsCoveredALowerOneIsNot() {
        explored.add(DEFINITE, 7, new long[] {0}, STATE);
        assertThat(explored.add(DEFINITE, 7, new long[] {0}, RegisterState.unrevealed("a", 6))).isFalse();
        assertThat(explored.add(DEFINITE, 7, new long[] {0}, RegisterState.unrevealed("a", 2))).isTrue();
    }

    @Test
    void havingUsedFewerUnknownOperationsCoversHavingUsedMore() {
        explored.add(DEFINITE, 7, new long[] {0b000}, STATE);
        assertThat(explored.add(DEFINITE, 7, new long[] {0b100}, STATE)).isFalse();
        assertThat(explored.add(DEFINITE, 7, new long[] {0b111}, STATE)).isFalse();
    }

    @Test
    void havingUsedMoreDoesNotCoverHavingUsedFewer() {
        explored.add(DEFINITE, 7, new long[] {0b100}, STATE);
        assertThat(explored.add(DEFINITE, 7, new long[] {0b000}, STATE)).isTrue();
    }

    @Test
    void withinAGroupHavingUsedTheLaterInvokedCoversHavingUsedTheEarlier() {
        explored.add(DEFINITE, 7, new long[] {0b010}, STATE);
        assertThat(explored.add(DEFINITE, 7, new long[] {0b001}, STATE)).isFalse();
    }

    @Test
    void withinAGroupHavingUsedTheEarlierDoesNotCoverHavingUsedTheLater() {
        explored.add(DEFINITE, 7, new long[] {0b001}, STATE);
        assertThat(explored.add(DEFINITE, 7, new long[] {0b010}, STATE)).isTrue();
    }

    @Test
    void operationsOfDifferentGroupsDoNotStandInForEachOther() {
        explored.add(DEFINITE, 7, new long[] {0b010}, STATE);
        assertThat(explored.add(DEFINITE, 7, new long[] {0b100}, STATE)).isTrue();
    }
}
