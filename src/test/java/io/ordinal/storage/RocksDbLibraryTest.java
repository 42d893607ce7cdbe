package io.ordinal.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RocksDbLibraryTest {

    @TempDir
    Path tmp;

    @Test
    void copiesLeftByKilledProcessesAreRemovedAndNothingElse() throws IOException {
        Instant now = Instant.now();
        Path leftBehind = copy("librocksdbjni1368575893052606178.so", now.minus(Duration.ofHours(2)));
        Path beingLoaded = copy("librocksdbjni4242.so", now);
        Path otherLibrary = copy("libother123.so", now.minus(Duration.ofHours(2)));
        Path aDirectory = Files.createDirectory(tmp.resolve("librocksdbjni-dir.so"));
        Files.setLastModifiedTime(aDirectory, FileTime.from(now.minus(Duration.ofHours(2))));

        int removed = RocksDbLibrary.removeStaleCopies(tmp, now.minus(Duration.ofMinutes(1)));

        assertThat(removed).isEqualTo(1);
        assertThat(leftBehind).doesNotExist();
        assertThat(beingLoaded).exists();
        assertThat(otherLibrary).exists();
        assertThat(aDirectory).exists();
    }

    @Test
    void aDirectoryThatCannotBeReadIsNoReasonToFail() {
        assertThat(RocksDbLibrary.removeStaleCopies(tmp.resolve("absent"), Instant.now())).isZero();
    }

    private Path copy(String name, Instant modified) throws IOException {
        Path p = Files.write(tmp.resolve(name), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(p, FileTime.from(modified));
        return p;
    }
}
