package io.ordinal.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * How many replicas the group should have: the StatefulSet's replica count in Kubernetes, a file
 * that {@code bin/kv-local scale} writes on one machine, or a fixed number. Read again and again:
 * scaling changes it while the replicas run. Empty when it cannot be known right now; then nothing
 * about the membership is changed.
 */
@FunctionalInterface
public interface DesiredReplicas {

    OptionalInt get();

    static DesiredReplicas fixed(int replicas) {
        return () -> OptionalInt.of(replicas);
    }

    /** A file holding the count as decimal text (written whole by {@code bin/kv-local scale}). */
    static DesiredReplicas file(Path path) {
        return () -> {
            try {
                return OptionalInt.of(Integer.parseInt(Files.readString(path, StandardCharsets.UTF_8).trim()));
            } catch (IOException | NumberFormatException e) {
                return OptionalInt.empty();
            }
        };
    }
}
