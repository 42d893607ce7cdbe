package io.ordinal.security;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** An all-in-one node with security on: every request needs a token; the root token is {@link SecureApi#ROOT}. */
public class SecureProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path file = Files.createTempFile("ordinal-root-token", "");
            file.toFile().deleteOnExit();
            Files.writeString(file, SecureApi.ROOT + "\n");
            return Map.of("ordinal.security.enabled", "true",
                    "ordinal.security.root-token-file", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
