package io.ordinal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.security.tls.TrustedCa;

import javax.net.ssl.SSLException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * HTTP to the API: paths with keys percent-encoded, the bearer token on every request, problem answers
 * and failed TLS handshakes turned into {@link Failure}s that say what to do.
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoint;
    private final Target target;
    private final Duration timeout;
    private final HttpClient client;

    Http(Target target, Duration timeout) {
        this.endpoint = target.endpoint();
        this.target = target;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (target.cacert() != null) {
            try {
                builder.sslContext(TrustedCa.sslContext(target.cacert()));
            } catch (IOException e) {
                throw new Failure(0, "cannot use the CA file " + target.cacert() + ": " + e.getMessage());
            }
        }
        this.client = builder.build();
    }

    /** A request that failed: a problem answer (its status, type and detail) or no answer at all. */
    static final class Failure extends RuntimeException {
        final int status;

        Failure(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    record Answer(int status, Map<String, java.util.List<String>> headers, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new Failure(status, "the answer is not JSON: " + e.getMessage());
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** Sends a request; any status of 400 or more is a {@link Failure} (except those {@code allowed}). */
    Answer send(String method, String pathAndQuery, byte[] body, Map<String, String> headers, int... allowed) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        authorize(b);
        HttpResponse<byte[]> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLException e) {
            throw TlsFailures.explain(e, endpoint, target.cacert());
        } catch (IOException e) {
            throw new Failure(0, "no answer from " + endpoint + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(0, "interrupted");
        }
        Answer answer = new Answer(response.statusCode(), response.headers().map(), response.body());
        if (answer.status() >= 400 && java.util.Arrays.stream(allowed).noneMatch(s -> s == answer.status())) {
            throw problem(answer.status(), answer.body());
        }
        return answer;
    }

    Answer send(String method, String pathAndQuery, byte[] body, int... allowed) {
        return send(method, pathAndQuery, body, Map.of(), allowed);
    }

    /** A streaming GET (for watches): the open response, whatever its status. */
    HttpResponse<InputStream> stream(String pathAndQuery, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery))
                .header("Accept", "text/event-stream").GET();
        headers.forEach(b::header);
        authorize(b);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (SSLException e) {
            throw TlsFailures.explain(e, endpoint, target.cacert());
        }
    }

    private void authorize(HttpRequest.Builder request) {
        if (target.token() != null) {
            request.header("Authorization", "Bearer " + target.token());
        }
    }

    static Failure problem(int status, byte[] body) {
        String said;
        try {
            JsonNode p = JSON.readTree(body);
            String type = p.path("type").asText("");
            type = type.startsWith("urn:ordinal:problem:") ? type.substring("urn:ordinal:problem:".length()) : type;
            said = status + " " + type + ": " + p.path("detail").asText("");
        } catch (IOException | RuntimeException e) {
            said = "HTTP " + status;
        }
        // What to do about it, beside what the server said.
        if (status == 401) {
            said += " (the token is missing, unknown, expired or revoked: give one with --token FILE or $KV_TOKEN_FILE)";
        } else if (status == 403) {
            said += " (the token's roles do not allow this: 'kvctl auth whoami' shows what they allow)";
        }
        return new Failure(status, said);
    }

    /** A key as a path: each byte percent-encoded but unreserved characters and '/'. */
    static String keyPath(String key) {
        StringBuilder sb = new StringBuilder("/v1/kv/");
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    static String param(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
