package io.ordinal.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kustomize base is a committed copy of what the build generates; after {@code package}, the two
 * must hold the same resources. They are compared as data with every list sorted: the generator's
 * order of keys and of list items (ports, labels) varies from one build to the next.
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
                docs.add(normalized(it.next()));
            }
        }
        return docs;
    }

    private static JsonNode normalized(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            new TreeMap<>(toMap(node)).forEach((k, v) -> sorted.set(k, normalized(v)));
            return sorted;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(item -> items.add(normalized(item)));
            items.sort(Comparator.comparing(JsonNode::toString));
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            items.forEach(array::add);
            return array;
        }
        return node;
    }

    private static Map<String, JsonNode> toMap(JsonNode object) {
        Map<String, JsonNode> map = new TreeMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }
}
