package io.ordinal.drill;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * One request to a cluster under a fault, where no answer is an outcome to record rather than an
 * error: a connection refused, cut or timed out is {@code null}.
 */
public final class Answers {

    private Answers() {
    }

    /** The answer, or null when there was none (the request may or may not have taken effect). */
    public static HttpResponse<String> of(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
