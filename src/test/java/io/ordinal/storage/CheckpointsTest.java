package io.ordinal.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void aDurableWriteReplacesTheFileWholeThroughATemporaryOne() throws Exception {
        Path file = dir.resolve("data-index");
        Files.writeString(file, "12345", StandardCharsets.UTF_8);

        Checkpoints.writeDurably(file, "7");

        assertThat(file).hasContent("7");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left beside it").containsExactly(file);
        }
    }

    @Test
    void aDurableMoveRenamesADirectoryInOneStep() throws Exception {
        Path from = Files.createDirectories(dir.resolve("snapshot.tmp"));
        Files.writeString(from.resolve("data-index"), "7", StandardCharsets.UTF_8);

        Checkpoints.moveDurably(from, dir.resolve("snapshot.1_7"));

        assertThat(from).doesNotExist();
        assertThat(dir.resolve("snapshot.1_7").resolve("data-index")).hasContent("7");
    }
}
