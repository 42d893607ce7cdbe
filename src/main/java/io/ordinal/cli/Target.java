package io.ordinal.cli;

import io.ordinal.local.SecureEndpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where kvctl sends its requests, and with what: the endpoint, the CA it trusts for https (null: the
 * JDK's), and the bearer token (null: none).
 *
 * @param cacert the file the CA came from, for messages
 */
record Target(String endpoint, Path cacert, String token) {

    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8080";

    /** The checkout's local cluster when it runs secure ({@code bin/kvctl} says where the checkout is). */
    static Optional<SecureEndpoint> localCluster() {
        String checkout = System.getProperty("kv.local.checkout");
        return SecureEndpoint.find(checkout == null ? null : Path.of(checkout), Map.of());
    }

    /**
     * What the options and the environment say, completed by the local secure cluster: its endpoint when
     * none is given, and its CA and root token for its own endpoint only — never for another server.
     */
    static Target resolve(String endpoint, Path cacert, Path tokenFile, Optional<SecureEndpoint> local) {
        Optional<SecureEndpoint> own = local.filter(l -> endpoint == null || withoutSlash(endpoint).equals(l.url()));
        String url = endpoint != null ? endpoint : own.map(SecureEndpoint::url).orElse(DEFAULT_ENDPOINT);
        Path ca = cacert != null ? cacert : own.map(SecureEndpoint::caCrt).orElse(null);
        Path file = tokenFile != null ? tokenFile : own.map(SecureEndpoint::tokenFile).orElse(null);
        return new Target(withoutSlash(url), ca, file == null ? null : readToken(file));
    }

    /** The token in {@code file}: its one line, which must be printable and not blank. */
    static String readToken(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new Http.Failure(0, "cannot read the token file " + file + ": " + e);
        }
        if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new Http.Failure(0, "the token file " + file + " must hold one line of printable characters, the token");
        }
        return token;
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
