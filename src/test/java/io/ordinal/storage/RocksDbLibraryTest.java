package io.ordinal.storage;

import org.junit.jupiter.api.Test;
import org.rocksdb.util.Environment;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void theLibraryIsUnpackedOnceAndLoadedFromTheKeptCopyAfterwards() throws IOException {
        byte[] library = "not really a shared library, but bytes to keep".getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(library);
        AtomicInteger unpacked = new AtomicInteger();
        RocksDbLibrary.Source jar = () -> {
            unpacked.incrementAndGet();
            return new ByteArrayInputStream(library);
        };

        Path first = RocksDbLibrary.keptCopy(tmp, "libx.so", crc.getValue(), library.length, jar);
        FileTime written = Files.getLastModifiedTime(first);
        Path second = RocksDbLibrary.keptCopy(tmp, "libx.so", crc.getValue(), library.length, jar);

        assertThat(second).isEqualTo(first);
        assertThat(first).hasBinaryContent(library);
        assertThat(unpacked).hasValue(1);
        assertThat(Files.getLastModifiedTime(second)).isEqualTo(written);
        assertThat(Files.getPosixFilePermissions(first.getParent()))
                .doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
        try (var left = Files.list(first.getParent())) {
            assertThat(left).containsExactly(first); // no partial file left behind
        }

        // a damaged copy (cut short, or the same size with other bytes) is written again
        Files.write(first, Arrays.copyOf(library, 10));
        RocksDbLibrary.keptCopy(tmp, "libx.so", crc.getValue(), library.length, jar);
        assertThat(first).hasBinaryContent(library);
        byte[] flipped = library.clone();
        flipped[3] ^= 1;
        Files.write(first, flipped);
        RocksDbLibrary.keptCopy(tmp, "libx.so", crc.getValue(), library.length, jar);
        assertThat(first).hasBinaryContent(library);
        assertThat(unpacked).hasValue(3);
    }

    @Test
    void anUnpackedCopyThatDoesNotMatchItsJarEntryIsNeverKept() {
        RocksDbLibrary.Source truncated = () -> new ByteArrayInputStream(new byte[] {1, 2});

        assertThatThrownBy(() -> RocksDbLibrary.keptCopy(tmp, "liby.so", 1234, 3, truncated))
                .isInstanceOf(IOException.class);
        try (var files = Files.walk(tmp)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDirectoryOthersMayWriteIsNotTrusted() throws IOException {
        byte[] library = {7, 7, 7};
        CRC32 crc = new CRC32();
        crc.update(library);
        Path dir = Files.createDirectory(tmp.resolve(String.format("ordinal-rocksdbjni-%08x", crc.getValue())));
        Files.write(dir.resolve("libz.so"), library);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> RocksDbLibrary.keptCopy(tmp, "libz.so", crc.getValue(), library.length,
                () -> new ByteArrayInputStream(library))).isInstanceOf(IOException.class);
    }

    @Test
    void theRealLibraryIsKeptWhereRocksJavaLooksForIt() throws IOException {
        Path copy = RocksDbLibrary.keptCopy(tmp);

        // RocksDB.loadLibrary(paths) loads <path>/<this name>
        assertThat(copy.getFileName()).hasToString(Environment.getJniLibraryFileName("rocksdbjni"));
        assertThat(Files.size(copy)).isGreaterThan(1_000_000);
        assertThat(RocksDbLibrary.keptCopy(tmp)).isEqualTo(copy);
    }

    private Path copy(String name, Instant modified) throws IOException {
        Path p = Files.write(tmp.resolve(name), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(p, FileTime.from(modified));
        return p;
    }
}
