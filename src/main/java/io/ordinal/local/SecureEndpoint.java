package io.ordinal.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The API of a local cluster that runs with {@code up --secure}, with what a client needs to use it:
 * its CA and its root token. How {@code bin/kvctl} finds all three by itself.
 *
 * @param url       the first frontend's {@code https://127.0.0.1:…} URL
 * @param caCrt     the cluster's CA certificate
 * @param tokenFile the root token's file
 */
public record SecureEndpoint(String url, Path caCrt, Path tokenFile) {

    /**
     * The cluster in {@code checkout} (or {@code KV_LOCAL_HOME}) if it was last brought up with
     * {@code --secure}; empty otherwise, and when {@code checkout} is null (kvctl run from elsewhere).
     */
    public static Optional<SecureEndpoint> find(Path checkout, Map<String, String> settings) {
        if (checkout == null) {
            return Optional.empty();
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(settings);
        Cluster cluster = new Cluster(checkout.toAbsolutePath().normalize(), env);
        if (!cluster.secure()) {
            return Optional.empty();
        }
        return Optional.of(new SecureEndpoint(cluster.frontendUrl(), cluster.caCrt(), cluster.rootTokenFile()));
    }
}
