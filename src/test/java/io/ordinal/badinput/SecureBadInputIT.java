package io.ordinal.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.process.AllInOneNode;
import io.ordinal.process.RawHttp.Answer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad credentials and bad access records, thrown at random at a security-on all-in-one node (the
 * packaged application): malformed {@code Authorization} headers, tokens of the wrong length or
 * alphabet, huge ones, unsigned JWTs; role bodies with unknown members or access values. Each gets a
 * documented 400, 401 or 431 problem, never a 500, and writes nothing (a root probe write before and
 * after each request takes consecutive revisions).
 */
class SecureBadInputIT {

    private static final String ROOT = "0123456789abcdef.rootrootrootrootrootrootrootrootrootrootroo";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AllInOneNode node;

    @BeforeContainer
    static void startNode() throws IOException {
        Path dir = Files.createDirectories(Path.of("target/secure-bad-input").toAbsolutePath());
        Path rootToken = dir.resolve("root-token");
        Files.writeString(rootToken, ROOT + "\n");
        node = AllInOneNode.start(dir, Map.of("ordinal.security.enabled", "true",
                "ordinal.security.root-token-file", rootToken.toString()));
    }

    @AfterContainer
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /**
     * The revision of the last root probe write. A probe after each try, one revision after the one
     * before it, shows the try wrote nothing; nothing else writes between the tries of a property.
     */
    private static long lastProbe;

    @BeforeProperty
    void probeFirst() {
        lastProbe = probeRevision();
    }

    @Property(tries = 100)
    void aBadCredentialIsA401ProblemAndWritesNothing(@ForAll("badAuthorization") List<String> headers,
                                                     @ForAll("methods") String method) throws IOException {
        long before = lastProbe;
        Answer a = send(method, "/v1/kv/secure-bad-input", headers, "x");
        long after = lastProbe = probeRevision();
        assertThat(a.status()).as("%s %s -> %s", method, headers, a).isIn(401, 431, 400);
        if (a.status() == 401) {
            assertThat(a.header("www-authenticate")).isEqualTo("Bearer");
            problem(a);
        }
        assertThat(after - before - 1).as("revisions taken by %s -> %s", headers, a).isZero();
    }

    @Property(tries = 60)
    void aBadRoleBodyIsA400AndCreatesNothing(@ForAll("badRoleBodies") String body) throws IOException {
        long before = lastProbe;
        Answer a = send("PUT", "/v1/auth/roles/bad-input", List.of(bearer(ROOT)), body);
        long after = lastProbe = probeRevision();
        assertThat(a.status()).as("%s -> %s", body, a).isEqualTo(400);
        problem(a);
        assertThat(after - before - 1).as("revisions taken by %s -> %s", body, a).isZero();
        assertThat(send("GET", "/v1/auth/roles/bad-input", List.of(bearer(ROOT)), null).status()).isEqualTo(404);
    }

    @Example
    void aGoodTokenStillWorksAndOneWithoutGrantsIsA403() throws IOException {
        Answer issued = send("POST", "/v1/auth/tokens", List.of(bearer(ROOT)), "{\"roles\":[]}");
        assertThat(issued.status()).isEqualTo(201);
        String token = JSON.readTree(issued.body()).path("token").asText();
        assertThat(send("GET", "/v1/auth/whoami", List.of(bearer(token)), null).status()).isEqualTo(200);
        Answer refused = send("PUT", "/v1/kv/secure-bad-input", List.of(bearer(token)), "x");
        assertThat(refused.status()).isEqualTo(403);
        problem(refused);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "PUT", "DELETE", "HEAD", "POST");
    }

    @Provide
    Arbitrary<List<String>> badAuthorization() {
        Arbitrary<String> tokens = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdefABCDEF.-_~+/=").ofMinLength(0).ofMaxLength(120),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(80),
                Arbitraries.strings().withCharRange('\u00a0', '\u00ff').ofMinLength(1).ofMaxLength(20),
                Arbitraries.integers().between(1, 20_000).map("a"::repeat),
                Arbitraries.integers().between(0, 70).map(n -> "0123456789abcdef." + "A".repeat(n)),
                Arbitraries.just(ROOT.substring(0, ROOT.length() - 1)),
                Arbitraries.just(ROOT + "A"),
                Arbitraries.just(unsignedJwt()));
        Arbitrary<String> schemes = Arbitraries.of("Bearer ", "bearer  ", "Basic ", "Token ", "", "Bearer", "Bearer\t");
        Arbitrary<String> header = schemes.flatMap(s -> tokens.map(t -> "Authorization: " + s + t));
        return Arbitraries.oneOf(header.list().ofMinSize(0).ofMaxSize(1),
                header.list().ofSize(2),
                Arbitraries.just(List.of("Authorization: Bearer " + ROOT, "Authorization: Bearer " + ROOT)));
    }

    @Provide
    Arbitrary<String> badRoleBodies() {
        Arbitrary<String> access = Arbitraries.oneOf(Arbitraries.of("write", "READ", "Read", "rw", "", "admin", "readwrite "),
                Arbitraries.strings().alpha().ofMaxLength(10).filter(s -> !s.equals("read") && !s.equals("readwrite")));
        Arbitrary<String> unknown = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)
                .filter(s -> !s.equals("prefix") && !s.equals("access") && !s.equals("permissions") && !s.equals("name"));
        return Arbitraries.oneOf(
                access.map(a -> "{\"permissions\":[{\"prefix\":\"app/\",\"access\":\"" + a + "\"}]}"),
                unknown.map(u -> "{\"permissions\":[{\"prefix\":\"app/\",\"access\":\"read\",\"" + u + "\":1}]}"),
                unknown.map(u -> "{\"permissions\":[],\"" + u + "\":true}"),
                Arbitraries.of("{}", "[]", "null", "{\"permissions\":null}", "{\"permissions\":[1]}",
                        "{\"permissions\":[{\"prefix\":1,\"access\":\"read\"}]}", "{\"permissions\":[{\"access\":\"read\"}]}",
                        "{\"permissions\":{}}", "{\"permissions\":[],\"permissions\":[]}", "{\"name\":\"other\",\"permissions\":[]}",
                        "{\"permissions\":[{\"prefix\":\"a\",\"access\":null}]}"),
                Arbitraries.strings().ofMaxLength(40).filter(s -> !s.trim().startsWith("{")));
    }

    private static String unsignedJwt() {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString("{\"sub\":\"system:serviceaccount:x:y\",\"aud\":\"ordinal\"}".getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    /** A problem document (a HEAD's answer has none: only its headers). */
    private static void problem(Answer a) throws IOException {
        if (a.body().length == 0) {
            return;
        }
        assertThat(a.header("content-type")).as("%s", a).startsWith("application/problem+json");
        JsonNode p = JSON.readTree(a.body());
        assertThat(p.path("status").asInt()).isEqualTo(a.status());
        assertThat(p.path("detail").asText()).isNotBlank().doesNotContain(ROOT.substring(17));
    }

    private static Answer send(String method, String target, List<String> headers, String body) throws IOException {
        return node.send((method + " " + target + " HTTP/1.1").getBytes(StandardCharsets.ISO_8859_1), headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), false);
    }

    private static long probeRevision() {
        try {
            Answer a = send("PUT", "/v1/kv/probe", List.of(bearer(ROOT)), "p");
            assertThat(a.status()).as("the root probe write: %s", a).isIn(200, 201);
            return JSON.readTree(a.body()).path("revision").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
