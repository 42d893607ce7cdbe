package io.ordinal.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.command.KeySpace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Where the access records live in the store, and their JSON. Each is one key in the system key
 * space ({@link KeySpace}: out of the API's reach), written through the log like every key:
 * <pre>
 *   0xFF "auth/roles/"    name  → {"permissions":[{"prefix","access"}]}
 *   0xFF "auth/tokens/"   id    → {"hash","roles","description","expiresAt"}   (SHA-256 of the token, never the token)
 *   0xFF "auth/bindings/" name  → {"subject","roles"}
 * </pre>
 */
public final class AuthRecords {

    /** The kinds of record, each under its own prefix. */
    public enum Kind {
        ROLE("roles"), TOKEN("tokens"), BINDING("bindings");

        private final byte[] prefix;

        Kind(String path) {
            this.prefix = system("auth/" + path + "/");
        }

        public byte[] key(String name) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] key = Arrays.copyOf(prefix, prefix.length + n.length);
            System.arraycopy(n, 0, key, prefix.length, n.length);
            return key;
        }

        public byte[] prefix() {
            return prefix.clone();
        }

        /** The name in {@code key}, or null when the key is not of this kind. */
        String nameIn(byte[] key) {
            boolean mine = key.length > prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
            return mine ? new String(key, prefix.length, key.length - prefix.length, StandardCharsets.UTF_8) : null;
        }
    }

    /** Every access record's key starts with this. */
    public static final byte[] PREFIX = system("auth/");

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private AuthRecords() {
    }

    private record StoredRole(List<Permission> permissions) {
    }

    private record StoredToken(String hash, List<String> roles, String description, String expiresAt) {
    }

    private record StoredBinding(String subject, List<String> roles) {
    }

    public static byte[] encode(Role role) {
        return write(new StoredRole(role.permissions()));
    }

    public static byte[] encode(TokenRecord t) {
        return write(new StoredToken(t.hash(), t.roles(), t.description(),
                t.expiresAt() == null ? null : t.expiresAt().toString()));
    }

    public static byte[] encode(Binding b) {
        return write(new StoredBinding(b.subject(), b.roles()));
    }

    public static Role role(String name, byte[] value) {
        return new Role(name, read(value, StoredRole.class).permissions());
    }

    public static TokenRecord token(String id, byte[] value) {
        StoredToken t = read(value, StoredToken.class);
        return new TokenRecord(id, t.hash(), t.roles(), t.description(),
                t.expiresAt() == null ? null : Instant.parse(t.expiresAt()));
    }

    public static Binding binding(String name, byte[] value) {
        StoredBinding b = read(value, StoredBinding.class);
        return new Binding(name, b.subject(), b.roles());
    }

    private static byte[] write(Object o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("an access record that is not what this release writes", e);
        }
    }

    private static byte[] system(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[p.length + 1];
        key[0] = KeySpace.SYSTEM;
        System.arraycopy(p, 0, key, 1, p.length);
        return key;
    }
}
