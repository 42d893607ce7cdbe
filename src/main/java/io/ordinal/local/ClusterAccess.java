package io.ordinal.local;

import io.ordinal.security.tls.TrustedCa;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a program on this machine talks to a local cluster's pods: over {@code https}, trusting the
 * cluster's CA ({@code tls/ca.crt}) and sending the root token ({@code root-token}) — when the cluster
 * was started with {@code up --secure}, which the pods' URLs say by their scheme; over plain HTTP, with
 * nothing, otherwise. The token goes only with {@code https} requests: never in clear text.
 */
public final class ClusterAccess {

    private static final ClusterAccess PLAIN = new ClusterAccess(null, null);
    /** By the files' contents: the fault runs look at their cluster every few hundred milliseconds, and a
     *  cluster purged and made again in the same folder has a new CA. */
    private static final Map<List<String>, ClusterAccess> KNOWN = new ConcurrentHashMap<>();

    private final SSLContext ssl;
    private final String token;

    private ClusterAccess(SSLContext ssl, String token) {
        this.ssl = ssl;
        this.token = token;
    }

    /** For a cluster without security (or a server that is not kv-local's). */
    public static ClusterAccess plain() {
        return PLAIN;
    }

    /** The local cluster that {@code settings} (KV_LOCAL_HOME, …, over this process's environment) name in {@code checkout}. */
    public static ClusterAccess of(Path checkout, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(settings);
        return of(new Cluster(checkout.toAbsolutePath().normalize(), env));
    }

    /** What the cluster's folder holds: its CA and root token once {@code up --secure} has made them, else nothing. */
    static ClusterAccess of(Cluster cluster) {
        try {
            String ca = Files.isRegularFile(cluster.caCrt()) ? Files.readString(cluster.caCrt()) : "";
            String token = Files.isRegularFile(cluster.rootTokenFile()) ? Files.readString(cluster.rootTokenFile()).strip() : "";
            if (ca.isEmpty() && token.isEmpty()) {
                return PLAIN;
            }
            ClusterAccess known = KNOWN.get(List.of(ca, token));
            if (known == null) {
                known = new ClusterAccess(ca.isEmpty() ? null : TrustedCa.sslContext(cluster.caCrt()), token.isEmpty() ? null : token);
                KNOWN.put(List.of(ca, token), known);
            }
            return known;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local cluster's CA or root token", e);
        }
    }

    /** A client builder that trusts the cluster's CA for {@code https}. */
    public HttpClient.Builder client() {
        HttpClient.Builder builder = HttpClient.newBuilder();
        return ssl == null ? builder : builder.sslContext(ssl);
    }

    /** A request to {@code uri}, with the root token when it goes over {@code https}. */
    public HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        return token != null && "https".equals(uri.getScheme()) ? builder.header("Authorization", "Bearer " + token) : builder;
    }
}
