package io.ordinal.history;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A history saved as JSON Lines, one operation per line ({@link OperationJson} documents the
 * fields), so that a run can be checked again later, or by a newer checker. Line n holds operation
 * #(n-1). Blank lines are skipped.
 */
public final class HistoryFile {

    private HistoryFile() {
    }

    public static void write(History history, Path file) {
        try (Appender appender = appender(file)) {
            history.operations().forEach(appender::append);
        }
    }

    public static History read(Path file) {
        List<Operation> operations = new ArrayList<>();
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            int[] number = {0};
            lines.forEachOrdered(line -> {
                number[0]++;
                if (line.isBlank()) {
                    return;
                }
                try {
                    operations.add(OperationJson.fromLine(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ":" + number[0] + ": " + e.getMessage(), e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return History.of(operations);
    }

    /**
     * Opens {@code file} (replacing it) for a workload to append operations as they complete, from
     * any thread; what was appended before a crash of the test itself is still on disk.
     */
    public static Appender appender(Path file) {
        try {
            return new Appender(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class Appender implements Closeable {
        private final BufferedWriter out;

        private Appender(BufferedWriter out) {
            this.out = out;
        }

        public synchronized void append(Operation op) {
            try {
                out.write(OperationJson.toLine(op));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public synchronized void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
