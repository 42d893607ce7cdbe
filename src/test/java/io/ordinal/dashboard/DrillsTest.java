package io.ordinal.dashboard;

import io.ordinal.client.ClusterStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drills run bin/kv-local (here a stand-in script that records its arguments) on a pod the cluster names. */
class DrillsTest {

    @TempDir
    Path dir;

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private static ClusterStatus cluster(String leader) {
        return new ClusterStatus(leader, 3, List.of(
                new ClusterStatus.Member("kv-store-0", "a:1", "kv-store-0".equals(leader) ? "LEADER" : "FOLLOWER", 9, 9),
                new ClusterStatus.Member("kv-store-1", "a:2", "kv-store-1".equals(leader) ? "LEADER" : "FOLLOWER", 9, 9),
                new ClusterStatus.Member("kv-store-2", "a:3", "UNREACHABLE", 0, 0)));
    }

    private Path script(String body) throws IOException {
        Path script = dir.resolve("kv-local");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private Drills drills(Optional<Path> script, String leader) {
        return new Drills(script, Duration.ofMillis(7500), () -> CompletableFuture.completedFuture(cluster(leader)), events::add);
    }

    @Test
    void withoutBinKvLocalThereAreNoDrills() {
        Drills drills = drills(Optional.empty(), "kv-store-0");
        assertThat(drills.available()).isEmpty();
        assertThatThrownBy(() -> drills.run("delete-leader")).isInstanceOfSatisfying(DrillException.class,
                e -> assertThat(e.reason()).isEqualTo(DrillException.Reason.DISABLED));
    }

    @Test
    void deleteTheLeaderDeletesThePodThatLeads() throws Exception {
        Path args = dir.resolve("args");
        Drills drills = drills(Optional.of(script("echo \"$@\" > " + args + "; echo 'kv-local: pod deleted'")), "kv-store-1");
        assertThat(drills.available()).containsExactly("delete-leader", "delete-follower", "pause-leader");

        Drills.Result result = drills.run("delete-leader").join();

        assertThat(Files.readString(args).strip()).isEqualTo("delete-pod kv-store-1");
        assertThat(result.pod()).isEqualTo("kv-store-1");
        assertThat(result.output()).isEqualTo("kv-local: pod deleted");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("drill");
            assertThat(e.message()).isEqualTo("Drill: deleted the leader kv-store-1 (SIGKILL)");
        });
    }

    @Test
    void deleteAFollowerPicksAFollowerThatAnswers() throws Exception {
        Path args = dir.resolve("args");
        Drills drills = drills(Optional.of(script("echo \"$@\" > " + args)), "kv-store-1");
        for (int i = 0; i < 5; i++) {
            drills.run("delete-follower").join();
            assertThat(Files.readString(args).strip()).isEqualTo("delete-pod kv-store-0"); // kv-store-2 does not answer
        }
    }

    @Test
    void pauseTheLeaderPausesItForTheConfiguredSeconds() throws Exception {
        Path args = dir.resolve("args");
        Drills drills = drills(Optional.of(script("echo \"$@\" > " + args)), "kv-store-0");
        drills.run("pause-leader").join();
        assertThat(Files.readString(args).strip()).isEqualTo("pause-pod kv-store-0 8");
    }

    @Test
    void withoutALeaderThereIsNothingToDeleteOrPause() throws Exception {
        Drills drills = drills(Optional.of(script("exit 0")), null);
        assertThatThrownBy(() -> drills.run("delete-leader").join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(DrillException.class)
                .satisfies(e -> assertThat(((DrillException) e.getCause()).reason()).isEqualTo(DrillException.Reason.CONFLICT));
        assertThat(events).isEmpty();
    }

    @Test
    void aFailingScriptIsAFailedDrillWithItsMessage() throws Exception {
        Drills drills = drills(Optional.of(script("echo 'kv-local: kv-store-0 is not running' >&2; exit 1")), "kv-store-0");
        assertThatThrownBy(() -> drills.run("delete-leader").join()).hasCauseInstanceOf(DrillException.class)
                .hasMessageContaining("kv-store-0 is not running");
    }

    @Test
    void anUnknownDrillIsRefused() throws Exception {
        Drills drills = drills(Optional.of(script("exit 0")), "kv-store-0");
        assertThatThrownBy(() -> drills.run("rm-rf")).isInstanceOfSatisfying(DrillException.class,
                e -> assertThat(e.reason()).isEqualTo(DrillException.Reason.UNKNOWN));
    }
}
