package io.ordinal.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The few HTTP requests kv-local makes to its pods: readiness, a replica's role, the group's members. */
final class LocalHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    private LocalHttp() {
    }

    /** The status of {@code GET url}, or 0 when nothing answered within the timeout. */
    static int status(String url, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build()).map(HttpResponse::statusCode).orElse(0);
    }

    static boolean ready(String baseUrl, Duration timeout) {
        return status(baseUrl + "/q/health/ready", timeout) == 200;
    }

    /** The JSON body of a {@code GET url} answered 200, if any. */
    static Optional<JsonNode> json(String url, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build())
                .filter(r -> r.statusCode() == 200).flatMap(r -> {
                    try {
                        return Optional.of(JSON.readTree(r.body()));
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                });
    }

    /** A request whose answer does not matter (the class-data archive's training run). */
    static void send(String method, String url, String body) {
        send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static Optional<HttpResponse<String>> send(HttpRequest request) {
        try {
            return Optional.of(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
