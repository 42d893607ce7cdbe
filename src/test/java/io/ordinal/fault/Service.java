package io.ordinal.fault;

import io.ordinal.local.ClusterAccess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The frontends as a Kubernetes Service presents them to clients: a frontend receives requests only
 * once its readiness check passes (probed every 250 ms here), and one that refuses a connection is
 * taken out until it is ready again. Without this a restarted frontend would be sent requests from the
 * moment its port opens, before it can answer them — which no Service does.
 */
final class Service implements AutoCloseable {

    private static final Duration PROBE_EVERY = Duration.ofMillis(250);

    private final List<URI> endpoints;
    private final Set<URI> ready = ConcurrentHashMap.newKeySet();
    private final ClusterAccess access;
    private final HttpClient http;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread prober;

    /** @param access the CA and token with which clients reach a secure cluster's frontends */
    Service(List<URI> endpoints, ClusterAccess access) {
        this.endpoints = List.copyOf(endpoints);
        this.access = access;
        this.http = client();
        probeAll();
        prober = new Thread(() -> {
            while (running.get()) {
                try {
                    Thread.sleep(PROBE_EVERY.toMillis()); // a readiness probe's period, as a Service has
                } catch (InterruptedException e) {
                    return;
                }
                probeAll();
            }
        }, "service-readiness");
        prober.setDaemon(true);
        prober.start();
    }

    private void probeAll() {
        for (URI e : endpoints) {
            if (probe(e)) {
                ready.add(e);
            } else {
                ready.remove(e);
            }
        }
    }

    private boolean probe(URI endpoint) {
        try {
            HttpResponse<Void> r = http.send(access.request(endpoint.resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A client for the frontends (HTTP/1.1, a second to connect), trusting a secure cluster's CA. */
    HttpClient client() {
        return access.client().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
    }

    /** A request to a frontend, with the root token when the cluster is secure. */
    HttpRequest.Builder request(URI uri) {
        return access.request(uri);
    }

    int size() {
        return endpoints.size();
    }

    /** The {@code n}-th ready frontend (round robin); when none is ready, the {@code n}-th of all. */
    URI pick(int n) {
        List<URI> candidates = new ArrayList<>();
        for (URI e : endpoints) {
            if (ready.contains(e)) {
                candidates.add(e);
            }
        }
        if (candidates.isEmpty()) {
            candidates = endpoints;
        }
        return candidates.get(Math.floorMod(n, candidates.size()));
    }

    int indexOf(URI endpoint) {
        return endpoints.indexOf(endpoint);
    }

    /** A connection to it was refused: it is down, until its readiness check passes again. */
    void refused(URI endpoint) {
        ready.remove(endpoint);
    }

    @Override
    public void close() {
        running.set(false);
        prober.interrupt();
    }
}
