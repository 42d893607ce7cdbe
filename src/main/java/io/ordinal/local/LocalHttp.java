package io.ordinal.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few HTTP requests kv-local makes to its pods: readiness, a replica's role, the group's members;
 * over https with the cluster's CA and root token when it runs secure ({@link ClusterAccess}).
 */
final class LocalHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One client per cluster access: a client holds a thread, and the fault runs ask for the status often. */
    private static final Map<ClusterAccess, LocalHttp> CLIENTS = new ConcurrentHashMap<>();

    private final ClusterAccess access;
    private final HttpClient client;

    LocalHttp(ClusterAccess access) {
        this.access = access;
        this.client = access.client().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
    }

    /** For the cluster's own pods. */
    static LocalHttp of(Cluster cluster) {
        return CLIENTS.computeIfAbsent(ClusterAccess.of(cluster), LocalHttp::new);
    }

    /** The status of {@code GET url}, or 0 when nothing answered within the timeout. */
    int status(String url, Duration timeout) {
        return send(access.request(URI.create(url)).timeout(timeout).GET().build()).map(HttpResponse::statusCode).orElse(0);
    }

    boolean ready(String baseUrl, Duration timeout) {
        return status(baseUrl + "/q/health/ready", timeout) == 200;
    }

    /** The JSON body of a {@code GET url} answered 200, if any. */
    Optional<JsonNode> json(String url, Duration timeout) {
        return send(access.request(URI.create(url)).timeout(timeout).GET().build())
                .filter(r -> r.statusCode() == 200).flatMap(r -> {
                    try {
                        return Optional.of(JSON.readTree(r.body()));
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                });
    }

    /** A request whose answer does not matter (the class-data archive's training run). */
    void send(String method, String url, String body) {
        send(access.request(URI.create(url)).timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private Optional<HttpResponse<String>> send(HttpRequest request) {
        try {
            return Optional.of(client.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
