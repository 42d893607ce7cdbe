package io.ordinal.security.tls;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API over HTTPS (security-v1.md, "TLS"): an all-in-one node with security enabled serves its
 * certificate, which verifies against ca.crt for localhost, over TLS 1.3 or 1.2 only; no plain
 * listener answers; a rotated certificate is served without a restart.
 */
@QuarkusTest
@TestProfile(HttpsTest.Secure.class)
class HttpsTest {

    /** Security on, with the certificates and root token {@link HttpsTestResource} makes. */
    public static class Secure implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(HttpsTestResource.class));
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void healthIsServedOverHttpsWithACertificateThatVerifiesAgainstTheCaForLocalhost() throws Exception {
        assertThat(https.getProtocol()).isEqualTo("https");
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TrustedCa.sslContext(HttpsTestResource.tlsDir.resolve("ca.crt"))).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("https://localhost:" + https.getPort() + "/q/health/ready"))
                .header("Authorization", "Bearer " + rootToken()).build();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        HttpResponse<String> response = client.send(ready, HttpResponse.BodyHandlers.ofString());
        assertThat(response.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));
    }

    @Test
    void tls11IsRefusedAndTls12Accepted() throws IOException {
        assertThat(ClientHellos.answer(https.getPort(), ClientHellos.TLS_1_1)).as("the record type answering TLS 1.1")
                .isEqualTo(ClientHellos.ALERT);
        assertThat(ClientHellos.answer(https.getPort(), ClientHellos.TLS_1_2)).as("the record type answering TLS 1.2")
                .isEqualTo(ClientHellos.HANDSHAKE);
    }

    @Test
    void noPortOfTheNodeAnswersPlainHttp() throws IOException {
        List<Integer> ports = ListeningPorts.ofThisProcess();
        assertThat(ports).as("this JVM's listening ports").contains(https.getPort());
        for (int port : ports) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                socket.setSoTimeout(2000);
                socket.getOutputStream().write("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(readSome(socket.getInputStream()), StandardCharsets.ISO_8859_1);
                assertThat(answer).as("what port %d answers plain HTTP", port).doesNotStartWith("HTTP/");
            } catch (ConnectException e) {
                // bound to another address than loopback's: not reachable here
            }
        }
    }

    @Test
    void aRotatedCertificateIsServedWithoutARestart() throws Exception {
        BigInteger before = servedCertificate().getSerialNumber();

        HttpsTestResource.issue();
        BigInteger rotated = PemFiles.certificates(HttpsTestResource.tlsDir.resolve("tls.crt")).get(0).getSerialNumber();
        assertThat(rotated).isNotEqualTo(before);

        // A handshake while the server takes the new certificate may be cut (Vert.x 4.5 closes a connection
        // accepted during an SSL update: HttpsCertificateReloader): that moment is ignored.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> servedCertificate().getSerialNumber(), rotated::equals);
        // Served from then on, every handshake: nothing changed, so nothing is updated again.
        for (int i = 0; i < 8; i++) {
            assertThat(servedCertificate().getSerialNumber()).isEqualTo(rotated);
            Thread.sleep(250);
        }
    }

    /** The certificate the HTTPS port serves, seen by a new client (no session to resume). */
    private X509Certificate servedCertificate() throws IOException {
        SSLContext context = TrustedCa.sslContext(HttpsTestResource.tlsDir.resolve("ca.crt"));
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", https.getPort())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static String rootToken() throws IOException {
        return java.nio.file.Files.readString(HttpsTestResource.tlsDir.resolveSibling("root-token")).trim();
    }

    /** What the server sends before it closes or goes quiet: at most a few bytes matter. */
    private static byte[] readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[64];
        int n;
        try {
            n = in.read(buffer);
        } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
            return new byte[0];
        }
        return n < 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, n);
    }
}
