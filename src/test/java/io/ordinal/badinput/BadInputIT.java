package io.ordinal.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.process.AllInOneNode;
import io.ordinal.process.RawHttp;
import io.ordinal.process.RawHttp.Answer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input, thrown at random at a real all-in-one node (the packaged application in a JVM of its own,
 * production configuration): random methods, request targets (keys of any bytes, encoded well, raw or
 * badly), headers, bodies of any size and framing. Whatever comes in, only documented statuses come
 * out (docs/api.md), never a 500; an error is a problem document; nothing is written unless the
 * answer says so — every successful write takes exactly one store-wide revision and nothing else
 * takes any, which a probe write before and after each request measures; and the server stays live
 * and ready. The limits that bound oversized headers, slow clients and many connections are checked
 * as examples, against a node whose idle timeout and connection limit are set low so that the
 * checks are quick (the production values are in docs/configuration.md).
 */
class BadInputIT {

    /** Every status docs/api.md documents, including those the HTTP server answers itself. */
    private static final Set<Integer> DOCUMENTED = Set.of(200, 201, 204, 304, 400, 404, 405, 412, 413, 414, 431, 503);
    private static final int MAX_VALUE = 1_048_576;
    private static final int IDLE_TIMEOUT_SECONDS = 3;
    private static final int MAX_CONNECTIONS = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AllInOneNode node;

    @BeforeContainer
    static void startNode() {
        node = AllInOneNode.start(Path.of("target/bad-input"), Map.of(
                "quarkus.http.idle-timeout", IDLE_TIMEOUT_SECONDS + "s",
                "quarkus.http.limits.max-connections", Integer.toString(MAX_CONNECTIONS)));
    }

    @AfterContainer
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    // --- properties -----------------------------------------------------------------------------

    @Property(tries = 300)
    void anyRequestGetsADocumentedStatusWritesOnlyWhenItSaysSoAndLeavesTheServerHealthy(@ForAll("anyRequest") RawRequest request)
            throws IOException {
        long before = probeRevision();
        Answer a = node.send(request.requestLine(), request.headers(), request.body(), request.chunked());
        long after = probeRevision();

        assertThat(a.status()).as("%s -> %s", request, a).isIn(DOCUMENTED);
        if (a.status() >= 400 && a.body().length > 0) {
            assertThat(a.header("content-type")).as("%s -> %s", request, a).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(a.body());
            assertThat(problem.path("status").asInt()).as("%s -> %s", request, a).isEqualTo(a.status());
            assertThat(problem.path("detail").asText()).as("%s -> %s", request, a).isNotBlank();
        }
        boolean wrote = request.isWrite() && (a.status() == 200 || a.status() == 201 || a.status() == 204);
        assertThat(after - before - 1).as("revisions taken by %s -> %s; changed since: %s", request, a, lazy(() -> changesSince(before)))
                .isEqualTo(wrote ? 1 : 0);
        assertThat(node.isLive() && node.isReady()).as("live and ready after %s", request).isTrue();
    }

    @Property(tries = 100)
    void anyKeyAndValueRoundTripByteForByte(@ForAll("validKeys") String key, @ForAll("values") byte[] value,
                                            @ForAll("contentTypes") String contentType, @ForAll boolean chunked) throws IOException {
        byte[] target = ("/v1/kv/" + percentEncodeAll(key.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.ISO_8859_1);
        Answer put = node.send(line("PUT", target), List.of("Content-Type: " + contentType), value, chunked);
        assertThat(put.status()).as("PUT %s -> %s", key, put).isIn(200, 201);
        JsonNode written = JSON.readTree(put.body());
        assertThat(written.path("key").asText()).isEqualTo(key);
        long revision = written.path("revision").asLong();
        assertThat(put.header("etag")).isEqualTo("\"" + revision + "\"");

        Answer get = node.send(line("GET", target), List.of(), null, false);
        assertThat(get.status()).as("GET %s -> %s", key, get).isEqualTo(200);
        assertThat(get.body()).isEqualTo(value);
        assertThat(get.header("etag")).isEqualTo("\"" + revision + "\"");
        assertThat(get.header("content-type")).startsWith("application/octet-stream");
    }

    @Property(tries = 100)
    void aRefusedWriteChangesNothing(@ForAll("validKeys") String key, @ForAll("refusedWrites") Tuple.Tuple2<String, RawRequest> refused)
            throws IOException {
        byte[] target = ("/v1/kv/" + percentEncodeAll(key.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.ISO_8859_1);
        Answer put = node.send(line("PUT", target), List.of(), "before".getBytes(StandardCharsets.UTF_8), false);
        assertThat(put.status()).isIn(200, 201);
        String etag = put.header("etag");

        long before = probeRevision();
        RawRequest bad = refused.get2();
        byte[] badTarget = bad.target().length == 0 ? target : bad.target();
        Answer a = node.send(line(bad.method(), badTarget), bad.headers(), bad.body(), bad.chunked());
        long after = probeRevision();

        assertThat(a.status()).as("%s (%s) -> %s", refused.get1(), bad, a).isBetween(400, 499);
        assertThat(after - before - 1).as("revisions taken by %s -> %s; changed since: %s", bad, a, lazy(() -> changesSince(before)))
                .isZero();
        Answer get = node.send(line("GET", target), List.of(), null, false);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.text()).isEqualTo("before");
        assertThat(get.header("etag")).isEqualTo(etag);
    }

    @Property(tries = 60)
    void aKeyThatIsNotUtf8IsABadKeyNeverReplaced(@ForAll("invalidUtf8") byte[] key) throws IOException {
        long before = probeRevision();
        Answer a = node.send(line("PUT", ("/v1/kv/" + percentEncodeAll(key)).getBytes(StandardCharsets.ISO_8859_1)),
                List.of(), "x".getBytes(StandardCharsets.UTF_8), false);
        assertThat(a.status()).as("%s", a).isEqualTo(400);
        assertThat(JSON.readTree(a.body()).path("type").asText()).isEqualTo("urn:ordinal:problem:bad-key");
        assertThat(probeRevision() - before - 1).isZero();
    }

    // --- limits ---------------------------------------------------------------------------------

    @Example
    void headersBeyondTheLimitAre431AndTheServerStaysUp() throws IOException {
        Answer a = node.send(line("GET", "/v1/kv/a".getBytes(StandardCharsets.ISO_8859_1)), List.of("X-Big: " + "x".repeat(25_000)), null, false);
        assertThat(a.status()).isEqualTo(431);
        assertThat(node.isReady()).isTrue();
    }

    @Example
    void aRequestLineBeyondTheLimitIs414() throws IOException {
        Answer a = node.send(line("GET", ("/v1/kv/" + "k".repeat(17_000)).getBytes(StandardCharsets.ISO_8859_1)), List.of(), null, false);
        assertThat(a.status()).isEqualTo(414);
        assertThat(node.isReady()).isTrue();
    }

    @Example
    void aBodyBeyondTheHardCapIsRefusedBeforeItIsSent() throws IOException {
        try (Socket s = node.connect()) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("PUT /v1/kv/huge HTTP/1.1\r\nHost: x\r\nContent-Length: " + (17L << 20) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            // not one byte of the body is sent: the answer must come from the declared length alone
            Answer a = RawHttp.parse(RawHttp.readAll(s.getInputStream()));
            assertThat(a.status()).isEqualTo(413);
        }
        assertThat(node.get("/v1/kv/huge").status()).isEqualTo(404);
    }

    @Example
    void aSilentConnectionIsClosedByTheIdleTimeout() throws IOException {
        try (Socket s = node.connect()) {
            long start = System.nanoTime();
            s.setSoTimeout((IDLE_TIMEOUT_SECONDS + 10) * 1000);
            assertThat(RawHttp.readAll(s.getInputStream())).isEmpty();
            assertThat((System.nanoTime() - start) / 1e9).isBetween(IDLE_TIMEOUT_SECONDS - 0.5, IDLE_TIMEOUT_SECONDS + 5.0);
        }
    }

    @Example
    void aClientThatStopsHalfwayThroughItsHeadersIsClosedByTheIdleTimeout() throws IOException {
        try (Socket s = node.connect()) {
            s.getOutputStream().write("PUT /v1/kv/slow HTTP/1.1\r\nHost: x\r\nContent-Len".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            long start = System.nanoTime();
            s.setSoTimeout((IDLE_TIMEOUT_SECONDS + 10) * 1000);
            RawHttp.readAll(s.getInputStream());
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(IDLE_TIMEOUT_SECONDS + 5.0);
        }
        assertThat(node.get("/v1/kv/slow").status()).isEqualTo(404);
    }

    @Example
    void connectionsBeyondTheLimitAreClosedAndTheServerAnswersOnceTheyGo() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS * 2; i++) {
                sockets.add(node.connect());
            }
            int closedByServer = 0;
            for (Socket s : sockets) {
                s.setSoTimeout(300);
                try {
                    if (s.getInputStream().read() < 0) {
                        closedByServer++;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // held open: within the limit
                } catch (SocketException reset) {
                    closedByServer++;
                }
            }
            assertThat(closedByServer).as("connections closed at once by the server").isGreaterThanOrEqualTo(MAX_CONNECTIONS - 2);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertThat(node.isReady()).isTrue();
    }

    // --- generators -----------------------------------------------------------------------------

    @Provide
    Arbitrary<RawRequest> anyRequest() {
        Arbitrary<String> methods = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.just("GET")), Tuple.of(30, Arbitraries.just("PUT")), Tuple.of(15, Arbitraries.just("DELETE")),
                Tuple.of(5, Arbitraries.of("HEAD", "OPTIONS", "POST", "PATCH")),
                Tuple.of(5, Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(8)),
                Tuple.of(2, Arbitraries.of("get", "TRACE", "CONNECT", "PRI")));
        Arbitrary<List<String>> headers = header().list().ofMaxSize(4);
        Arbitrary<byte[]> bodies = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.just((byte[]) null)), Tuple.of(45, bytes(0, 100)), Tuple.of(15, bytes(1000, 65_536)),
                Tuple.of(5, Arbitraries.integers().between(MAX_VALUE - 2, MAX_VALUE + 2).map(byte[]::new)),
                Tuple.of(5, Arbitraries.integers().between(MAX_VALUE + 3, 2 * MAX_VALUE).map(byte[]::new)));
        return Combinators.combine(methods, target(), headers, bodies, Arbitraries.of(false, true))
                .as((m, t, h, b, chunked) -> new RawRequest(m, t, h, b, chunked && b != null));
    }

    @Provide
    Arbitrary<String> validKeys() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().ofMinLength(1).ofMaxLength(60),
                        Arbitraries.strings().withChars("/.%+ ?#&=~é😀").ofMinLength(1).ofMaxLength(30),
                        Arbitraries.integers().between(1000, 1024).map("k"::repeat),
                        Arbitraries.integers().between(250, 256).map("😀"::repeat))
                .filter(BadInputIT::isValidKey);
    }

    @Provide
    Arbitrary<byte[]> values() {
        return Arbitraries.frequencyOf(Tuple.of(60, bytes(0, 200)), Tuple.of(35, bytes(200, 70_000)),
                Tuple.of(5, Arbitraries.integers().between(MAX_VALUE - 10, MAX_VALUE).map(n -> {
                    byte[] b = new byte[n];
                    Arrays.fill(b, (byte) 0xA5);
                    return b;
                })));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(Arbitraries.of("application/json", "text/plain; charset=utf-8",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "foo", ";;;", "a/b/c",
                        "application/octet-stream"),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(30));
    }

    /** Writes the API must refuse, each named by what is wrong with it; an empty target means the valid key's own. */
    @Provide
    Arbitrary<Tuple.Tuple2<String, RawRequest>> refusedWrites() {
        byte[] none = new byte[0];
        byte[] x = "after".getBytes(StandardCharsets.UTF_8);
        Arbitrary<Tuple.Tuple2<String, RawRequest>> oversized = Arbitraries.integers().between(MAX_VALUE + 1, MAX_VALUE + 70_000)
                .flatMap(n -> Arbitraries.of(false, true).map(chunked ->
                        Tuple.of("a value over the limit", new RawRequest("PUT", none, List.of(), new byte[n], chunked))));
        Arbitrary<Tuple.Tuple2<String, RawRequest>> badIfMatch = Arbitraries.of("W/\"1\"", "*, \"1\"", "1", "\"1", "abc", "\"1\" \"2\"",
                        ",", "\"99999999999999999999999999\"x", "W/*")
                .map(v -> Tuple.of("If-Match: " + v, new RawRequest("PUT", none, List.of("If-Match: " + v), x, false)));
        Arbitrary<Tuple.Tuple2<String, RawRequest>> badDelete = Arbitraries.of("If-None-Match: *", "If-Match: W/\"3\"", "If-Match: junk")
                .map(h -> Tuple.of("DELETE with " + h, new RawRequest("DELETE", none, List.of(h), null, false)));
        Arbitrary<Tuple.Tuple2<String, RawRequest>> bothConditions = Arbitraries.just(Tuple.of("If-Match and If-None-Match",
                new RawRequest("PUT", none, List.of("If-Match: \"1\"", "If-None-Match: *"), x, false)));
        Arbitrary<Tuple.Tuple2<String, RawRequest>> taggedCreate = Arbitraries.just(Tuple.of("If-None-Match with a tag on PUT",
                new RawRequest("PUT", none, List.of("If-None-Match: \"1\""), x, false)));
        Arbitrary<Tuple.Tuple2<String, RawRequest>> wrongMethod = Arbitraries.of("POST", "PATCH", "FOO")
                .map(m -> Tuple.of(m + " on a key", new RawRequest(m, none, List.of(), x, false)));
        Arbitrary<Tuple.Tuple2<String, RawRequest>> badTarget = Arbitraries.of("/v1/kv/%zz", "/v1/kv/a%2", "/v1/kv/%", "/v1/kv/%FF%FE",
                        "/v1/kv/a|b", "/v1/kv/", "/v1/kv/" + "k".repeat(1025), "/v1/kv?consistency=x", "/v1/kv/%C3%28")
                .map(t -> Tuple.of("target " + t, new RawRequest("PUT", t.getBytes(StandardCharsets.ISO_8859_1), List.of(), x, false)));
        return Arbitraries.oneOf(oversized, badIfMatch, badDelete, bothConditions, taggedCreate, wrongMethod, badTarget);
    }

    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        return bytes(1, 40).filter(b -> !isUtf8(b));
    }

    private static Arbitrary<byte[]> target() {
        Arbitrary<byte[]> keyBytes = Arbitraries.oneOf(
                bytes(0, 40),
                Arbitraries.strings().ofMaxLength(30).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings().withChars("/.%+?#&= ~;:@!$'()*,").ofMaxLength(12).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers().between(1020, 1030).map(n -> "k".repeat(n).getBytes(StandardCharsets.UTF_8)));
        Arbitrary<String> query = Arbitraries.frequencyOf(
                Tuple.of(70, Arbitraries.just("")),
                Tuple.of(15, Arbitraries.of("?consistency=stale", "?consistency=linearizable", "?consistency=", "?consistency=x",
                        "?consistency=stale&consistency=stale", "?x=1", "?", "?%zz")),
                Tuple.of(15, Arbitraries.strings().withChars("=&%+azAZ09").ofMaxLength(16).map(s -> "?" + s)));
        Arbitrary<byte[]> keyTarget = Combinators.combine(keyBytes, Arbitraries.of(Encoding.values()), query)
                .as((k, e, q) -> concat("/v1/kv/", e.encode(k), q));
        Arbitrary<byte[]> listTarget = Combinators.combine(
                        Arbitraries.of("", "prefix=a", "prefix=%FF", "prefix=" + "p".repeat(1100), "prefix=%zz"),
                        Arbitraries.of("", "after=a", "after=", "after=%C3%28"),
                        Arbitraries.of("", "limit=1", "limit=1000", "limit=0", "limit=1001", "limit=-1", "limit=abc", "limit=",
                                "limit=99999999999999999999", "limit=1&limit=2"),
                        Arbitraries.of("", "keysOnly=true", "keysOnly=false", "keysOnly=yes"),
                        Arbitraries.of("", "consistency=stale", "consistency=bogus"))
                .as((a, b, c, d, e) -> ("/v1/kv?" + String.join("&", List.of(a, b, c, d, e))).getBytes(StandardCharsets.ISO_8859_1));
        Arbitrary<byte[]> other = Arbitraries.oneOf(
                Arbitraries.of("/v1/cluster", "/v1/replica", "/v1/kv", "/v1", "/", "/v1//kv/a", "/v1/kv/../x", "/q/health",
                        "*", "http://localhost/v1/kv/a", "/v1/k%76/a").map(s -> s.getBytes(StandardCharsets.ISO_8859_1)),
                bytes(1, 30).map(b -> concat("/", b, "")));
        return Arbitraries.frequencyOf(Tuple.of(70, keyTarget), Tuple.of(15, listTarget), Tuple.of(15, other));
    }

    private static Arbitrary<String> header() {
        Arbitrary<String> tag = Arbitraries.oneOf(
                Arbitraries.longs().between(-5, 1L << 40).map(n -> "\"" + n + "\""),
                Arbitraries.of("*", "W/\"1\"", "\"1\", \"2\"", "*, \"1\"", "\"\"", "\"99999999999999999999999\"", "\"abc\"", ","),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20));
        Arbitrary<String> token = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> value = Arbitraries.strings().withCharRange(' ', '\u00ff').ofMaxLength(40)
                .map(s -> s.replace("\u007f", "").strip());
        return Arbitraries.oneOf(
                tag.map(t -> "If-Match: " + t),
                tag.map(t -> "If-None-Match: " + t),
                Arbitraries.oneOf(Arbitraries.of("application/json", "text/plain", "foo", ";;;", "multipart/form-data; boundary=b"), value)
                        .map(v -> "Content-Type: " + v),
                Arbitraries.of("Content-Encoding: gzip", "Accept-Encoding: gzip", "Expect: 100-continue", "Accept: text/html",
                        "Accept: application/xml", "Range: bytes=0-1", "Transfer-Encoding: identity", "Upgrade: h2c"),
                Combinators.combine(token, value).as((n, v) -> "X-" + n + ": " + v));
    }

    /** How a key's bytes are put in the request target. */
    enum Encoding {
        /** Every byte as %XX. */
        PERCENT_ALL,
        /** Unreserved characters as they are, everything else as %XX. */
        PERCENT_NEEDED,
        /** Every byte as it is (ISO-8859-1 on the wire), even spaces and controls. */
        RAW,
        /** Percent-encoded, then a malformed escape appended. */
        BROKEN_ESCAPE;

        String encode(byte[] key) {
            return switch (this) {
                case PERCENT_ALL -> percentEncodeAll(key);
                case PERCENT_NEEDED -> percentEncodeNeeded(key);
                case RAW -> new String(key, StandardCharsets.ISO_8859_1);
                case BROKEN_ESCAPE -> percentEncodeNeeded(key) + List.of("%", "%z", "%zz", "%4").get(key.length % 4);
            };
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private static long probeRevision() throws IOException {
        Answer a = node.send(line("PUT", "/v1/kv/__probe".getBytes(StandardCharsets.ISO_8859_1)), List.of(),
                "p".getBytes(StandardCharsets.UTF_8), false);
        assertThat(a.status()).as("probe write: %s", a).isIn(200, 201);
        return JSON.readTree(a.body()).path("revision").asLong();
    }

    /** The keys written after {@code revision}, with their revisions (for a failure's message). */
    private static String changesSince(long revision) {
        try {
            StringBuilder b = new StringBuilder();
            String after = "";
            for (int page = 0; page < 50; page++) {
                Answer a = node.get("/v1/kv?keysOnly=true&limit=1000" + (after.isEmpty() ? "" : "&after=" + percentEncodeAll(after.getBytes(StandardCharsets.UTF_8))));
                JsonNode list = JSON.readTree(a.body());
                for (JsonNode item : list.path("items")) {
                    if (item.path("revision").asLong() > revision) {
                        b.append(item.path("key").asText()).append('@').append(item.path("revision").asLong()).append(' ');
                    }
                }
                if (list.path("next").isNull() || list.path("next").isMissingNode()) {
                    break;
                }
                after = list.path("next").asText();
            }
            return b.toString();
        } catch (IOException | RuntimeException e) {
            return "(cannot list: " + e + ")";
        }
    }

    private static Object lazy(java.util.function.Supplier<String> s) {
        return new Object() {
            @Override
            public String toString() {
                return s.get();
            }
        };
    }

    private static byte[] line(String method, byte[] target) {
        return new RawRequest(method, target, List.of(), null, false).requestLine();
    }

    private static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }

    private static byte[] concat(String a, String b, String c) {
        return (a + b + c).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(String a, byte[] b, String c) {
        return concat(a, new String(b, StandardCharsets.ISO_8859_1), c);
    }

    static String percentEncodeAll(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append('%').append(String.format("%02X", x & 0xff));
        }
        return b.toString();
    }

    static String percentEncodeNeeded(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    private static boolean isValidKey(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        return b.length >= 1 && b.length <= 1024 && isUtf8(b) && new String(b, StandardCharsets.UTF_8).equals(key);
    }

    private static boolean isUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
