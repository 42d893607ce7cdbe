package io.ordinal.fault;

import io.ordinal.drill.Poll;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client of the API, reaching the frontends through a {@link Service}: a request goes to one ready
 * frontend, and a frontend that refuses the connection (it is down) is skipped for the next one. Only
 * a refused connection is tried again elsewhere, because then the request was never sent; a request
 * that was sent and got no answer is never repeated — its outcome is unknown. Threads may share one.
 */
final class ApiClient {

    /** Why a request has no HTTP answer. */
    enum Failure {
        /** It has one. */
        NONE,
        /** No answer within the client's timeout. */
        TIMEOUT,
        /** The connection broke after the request was sent (a frontend killed mid-request). */
        CUT,
        /** Every frontend refused the connection until the timeout: the request was never sent. */
        REFUSED
    }

    /** An HTTP answer ({@code failure} NONE), or why there is none ({@code status} 0). */
    record Answer(int status, String body, String etag, Failure failure, String error, int frontend) {
    }

    private static final long RETRY_REFUSED_AFTER_MS = 20;

    private final Service frontends;
    private final Duration timeout;
    private final HttpClient http;
    private final AtomicInteger next;

    ApiClient(Service frontends, int first, Duration timeout) {
        this.frontends = frontends;
        this.next = new AtomicInteger(first);
        this.timeout = timeout;
        this.http = frontends.client();
    }

    /** A request on a key, {@code /v1/kv/{key}}. */
    Answer send(String method, String key, String body, Map<String, String> headers) {
        return call(method, "/v1/kv/" + key, body, headers);
    }

    /** A request on any path of the API (a transaction, a lease), with the same rules as {@link #send}. */
    Answer call(String method, String path, String body, Map<String, String> headers) {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        String lastRefusal = "";
        int frontend = 0;
        while (System.nanoTime() < giveUpAt) {
            URI endpoint = frontends.pick(next.getAndIncrement());
            frontend = frontends.indexOf(endpoint);
            long leftMillis = Math.max(1, (giveUpAt - System.nanoTime()) / 1_000_000);
            HttpRequest.Builder b = frontends.request(endpoint.resolve(path))
                    .timeout(Duration.ofMillis(leftMillis))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(b::header);
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(r.statusCode(), r.body(), r.headers().firstValue("ETag").orElse(null), Failure.NONE, null, frontend);
            } catch (HttpConnectTimeoutException | ConnectException e) {
                lastRefusal = e.toString();
                frontends.refused(endpoint);
                Poll.hold(Duration.ofMillis(RETRY_REFUSED_AFTER_MS));
            } catch (HttpTimeoutException e) {
                return new Answer(0, null, null, Failure.TIMEOUT, e.toString(), frontend);
            } catch (IOException e) {
                if (e.getCause() instanceof ConnectException) {
                    lastRefusal = e.toString();
                    frontends.refused(endpoint);
                    Poll.hold(Duration.ofMillis(RETRY_REFUSED_AFTER_MS));
                    continue;
                }
                return new Answer(0, null, null, Failure.CUT, e.toString(), frontend);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(0, null, null, Failure.TIMEOUT, "interrupted", frontend);
            }
        }
        return new Answer(0, null, null, Failure.REFUSED, lastRefusal, frontend);
    }
}
