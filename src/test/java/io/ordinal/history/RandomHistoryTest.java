package io.ordinal.history;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random histories of a simulated correct store (many clients, jittered intervals, lost
 * outcomes, late effects) must pass; each single mutation that certainly breaks one must fail. A
 * failure names its seed: {@code SimulatedRun.record(seed, settings(seed))} rebuilds the history.
 */
class RandomHistoryTest {

    private static final int RUNS = 600;

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    static SimulatedRun.Settings settings(long seed) {
        Random random = new Random(seed ^ 0x9e3779b97f4a7c15L);
        return new SimulatedRun.Settings(2 + random.nextInt(11), 1 + random.nextInt(3), 20 + random.nextInt(280),
                random.nextInt(4) * 0.08, 1 + random.nextInt(8));
    }

    @Test
    void historiesOfACorrectStoreAreLinearizable() {
        for (long seed = 0; seed < RUNS; seed++) {
            History history = SimulatedRun.record(seed, settings(seed));
            CheckResult result = checker.check(history);
            assertThat(result.verdict()).as("seed %d, %s:%n%s", seed, settings(seed), result.report())
                    .isEqualTo(Verdict.LINEARIZABLE);
            assertThat(LostWrites.find(history)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void historiesWithManyLostOutcomesAreLinearizable() {
        for (long seed = 0; seed < RUNS / 3; seed++) {
            SimulatedRun.Settings settings = new SimulatedRun.Settings(8, 1, 200, 0.5, 4);
            CheckResult result = checker.check(SimulatedRun.record(seed, settings));
            assertThat(result.verdict()).as("seed %d, %s:%n%s", seed, settings, result.report())
                    .isEqualTo(Verdict.LINEARIZABLE);
        }
    }

    @Test
    void everySingleBreakingMutationIsCaught() {
        Map<Mutation, Integer> caught = new EnumMap<>(Mutation.class);
        for (long seed = 0; seed < RUNS; seed++) {
            History history = SimulatedRun.record(seed, settings(seed));
            for (Mutation mutation : Mutation.values()) {
                Random random = new Random(seed * 31 + mutation.ordinal());
                long s = seed;
                mutation.apply(history, random).ifPresent(mutated -> {
                    CheckResult result = checker.check(mutated);
                    assertThat(result.verdict()).as("%s of seed %d, %s:%n%s", mutation, s, settings(s), result.report())
                            .isEqualTo(Verdict.NOT_LINEARIZABLE);
                    caught.merge(mutation, 1, Integer::sum);
                });
            }
        }
        // Each kind must have had its chance often enough for this test to mean something.
        for (Mutation mutation : Mutation.values()) {
            assertThat(caught.getOrDefault(mutation, 0)).as("%s applied", mutation).isGreaterThan(RUNS / 4);
        }
    }
}
