package io.ordinal.fault;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The long fault run: faults drawn at random (seeded) one after another against one cluster for a
 * given time, each step on fresh keys, every step checked like the short run's. Not part of
 * {@code ./mvnw verify}; run it with
 * <pre>
 * ./mvnw verify -Pfaults-long                                   # 10 minutes, a new seed (printed)
 * ./mvnw verify -Pfaults-long -Dfaults.seed=42 -Dfaults.minutes=3
 * ./mvnw verify -Pfaults-long -Dfaults.schedule=pause-leader,partition-leader   # these faults only, in turn
 * </pre>
 * The same seed draws the same faults in the same order, the same targets among the followers and the
 * same client requests; what the cluster does with them depends on timing, as in any fault test.
 * The report, the picture and the history go to {@code target/faults/long-<seed>/}.
 */
class FaultsLongRun {

    @Test
    void aRandomScheduleOfFaultsLosesNothingAndStaysLinearizable() {
        long seed = Long.getLong("faults.seed", new Random().nextLong() & Long.MAX_VALUE);
        Duration length = Duration.ofSeconds(Math.round(Double.parseDouble(System.getProperty("faults.minutes", "10")) * 60));
        List<FaultKind> schedule = schedule(System.getProperty("faults.schedule", ""));
        System.out.println("fault run: seed " + seed + ", " + length.toMinutes() + " min, faults " + FaultKind.ids(schedule)
                + "\n  replay: ./mvnw verify -Pfaults-long -Dfaults.seed=" + seed + " -Dfaults.minutes=" + System.getProperty("faults.minutes", "10")
                + (System.getProperty("faults.schedule", "").isBlank() ? "" : " -Dfaults.schedule=" + System.getProperty("faults.schedule")));
        Random random = new Random(seed);
        List<StepResult> results;
        boolean explicit = !System.getProperty("faults.schedule", "").isBlank();
        try (FaultRun run = FaultRun.start(Path.of("target/faults/long-" + seed), seed, FaultRun.Settings.SHORT)) {
            long until = System.nanoTime() + length.toNanos();
            List<FaultKind> possible = schedule.stream().filter(k -> run.nemesis().unavailable(k) == null).toList();
            for (int i = 0; System.nanoTime() < until; i++) {
                FaultKind next = explicit ? schedule.get(i % schedule.size()) : possible.get(random.nextInt(possible.size()));
                run.step(next);
            }
            results = run.results();
        }
        List<String> failures = new ArrayList<>();
        results.stream().filter(s -> s.ran() && !s.passed()).forEach(s -> failures.add(s.summary()));
        assertThat(failures).as("seed " + seed + ": failed steps").isEmpty();
    }

    private static List<FaultKind> schedule(String ids) {
        if (ids.isBlank()) {
            return Arrays.asList(FaultKind.values());
        }
        return Arrays.stream(ids.split(",")).map(FaultKind::byId).toList();
    }
}
