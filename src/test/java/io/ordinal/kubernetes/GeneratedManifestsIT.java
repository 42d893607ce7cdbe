package io.ordinal.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kustomize base is a committed copy of what the build generates; after {@code package}, the two
 * must hold the same resources (compared as data: the generator's key order varies between builds).
 */
class GeneratedManifestsIT {

    @Test
    void theCommittedBaseIsWhatTheBuildGenerates() throws IOException {
        Path generated = Path.of("target/kubernetes/kubernetes.yml");
        Path committed = Path.of("k8s/base/kubernetes.yml");
        assertThat(documents(committed))
                .as("k8s/base/kubernetes.yml is stale: run  cp %s %s  and commit it", generated, committed)
                .isEqualTo(documents(generated));
    }

    private static Set<JsonNode> documents(Path file) throws IOException {
        Set<JsonNode> docs = new HashSet<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        return docs;
    }
}
