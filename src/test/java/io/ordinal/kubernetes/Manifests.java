package io.ordinal.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A set of Kubernetes manifests parsed into fabric8's typed model. Unknown fields do not fail
 * fabric8's parse (they land in "additional properties"), so {@link #unknownFields()} finds them:
 * a misspelt field would otherwise be silently ignored by the API server too.
 */
final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final List<HasMetadata> resources;

    private Manifests(List<HasMetadata> resources) {
        this.resources = resources;
    }

    static Manifests parse(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isEmpty()) {
                    resources.add(SERIALIZATION.unmarshal(doc.toString(), HasMetadata.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Manifests(resources);
    }

    static Manifests read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kubectl kustomize dir}, or empty when kubectl is not installed. */
    static Optional<Manifests> kustomize(Path dir) {
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + err);
            }
            return Optional.of(parse(out));
        } catch (IOException e) {
            return Optional.empty(); // no kubectl on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    List<HasMetadata> all() {
        return resources;
    }

    <T extends HasMetadata> T get(Class<T> kind, String name) {
        return resources.stream().filter(kind::isInstance).map(kind::cast)
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
    }

    /** A resource of a kind fabric8 has no model for, such as cert-manager's {@code Certificate}. */
    GenericKubernetesResource generic(String kind, String name) {
        return all(GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /**
     * Every field the model did not recognise, as "Kind/name: path.field". Kinds fabric8 has no model
     * for (cert-manager's) are generic, all fields unknown: their tests check them field by field.
     */
    List<String> unknownFields() {
        List<String> unknown = new ArrayList<>();
        for (HasMetadata r : resources) {
            if (r instanceof GenericKubernetesResource) {
                continue;
            }
            walk(r, r.getKind() + "/" + r.getMetadata().getName(), unknown, new IdentityHashMap<>());
        }
        return unknown;
    }

    private static void walk(Object o, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
            return;
        }
        if (!(o instanceof KubernetesResource)) {
            return;
        }
        for (Method method : o.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || !method.getName().startsWith("get")
                    || method.getName().equals("getClass")) {
                continue;
            }
            try {
                Object value = method.invoke(o);
                if (method.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    walk(value, path + "." + method.getName().substring(3), unknown, seen);
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // not a property
            }
        }
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null
                && labels.entrySet().containsAll(selector.entrySet());
    }

    static Set<String> names(Collection<? extends HasMetadata> resources) {
        return Set.copyOf(resources.stream().map(r -> r.getMetadata().getName()).toList());
    }
}
