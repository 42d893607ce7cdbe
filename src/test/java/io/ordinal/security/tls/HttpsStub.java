package io.ordinal.security.tls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A loopback HTTPS server for tests, serving the certificate of a cert-manager-layout directory
 * ({@code tls.crt}, {@code tls.key}) as a pod does, and answering each request as the test says.
 * It records every request it was sent.
 */
public final class HttpsStub implements AutoCloseable {

    /** A request as it arrived. */
    public record Request(String method, String path, String authorization, String body) {
    }

    /** An answer: a status, a content type and a body (empty for none). */
    public record Answer(int status, String contentType, String body) {
        public static Answer json(int status, String body) {
            return new Answer(status, status >= 400 ? "application/problem+json" : "application/json", body);
        }
    }

    private final HttpsServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** Listens on {@code host} (an address of 127.0.0.0/8), on a free port. */
    public HttpsStub(Path tlsDir, String host, Function<Request, Answer> answers) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(host, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(tlsDir)));
        server.createContext("/", exchange -> answer(exchange, answers));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void answer(HttpExchange exchange, Function<Request, Answer> answers) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), body);
        requests.add(request);
        Answer answer = answers.apply(request);
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        if (!answer.contentType().isEmpty()) {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The pod's key and chain from its directory: the PKCS#8 key and the PEM chain CertificateAuthority wrote. */
    private static SSLContext serverContext(Path dir) throws IOException {
        try {
            String pem = Files.readString(dir.resolve("tls.key"));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            Certificate[] chain;
            try (InputStream in = Files.newInputStream(dir.resolve("tls.crt"))) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("pod", key, new char[0], chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot serve the certificate in " + dir, e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Answers every request 200 with an empty JSON object. */
    public static Answer ok(Request request) {
        return Answer.json(200, "{}");
    }
}
