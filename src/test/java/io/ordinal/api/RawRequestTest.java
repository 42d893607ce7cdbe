package io.ordinal.api;

import io.ordinal.api.RawHttp.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.ordinal.api.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/** Requests as a client may really send them, written byte for byte: every refusal is a problem. */
@QuarkusTest
class RawRequestTest {

    private final String ns = "raw-" + UUID.randomUUID() + "/";

    @Test
    void rawNonAsciiBytesInThePathAreTheBytesTheyStandFor() {
        // The request line is read as ISO-8859-1: "\u00c3\u00a9" goes out as the bytes C3 A9, é in UTF-8.
        Answer created = send("PUT /v1/kv/" + ns + "caf\u00c3\u00a9 HTTP/1.1", bytes("raw"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(JsonPath.from(created.text()).getString("key")).isEqualTo(ns + "café");
        Answer encoded = send("GET /v1/kv/" + ns + "caf%C3%A9 HTTP/1.1");
        assertThat(encoded.status()).isEqualTo(200);
        assertThat(encoded.text()).isEqualTo("raw");
        // € is E2 82 AC: 0x82 is not a control character here, it is a byte.
        assertThat(send("PUT /v1/kv/" + ns + "\u00e2\u0082\u00ac HTTP/1.1", bytes("euro")).status()).isEqualTo(201);
        assertThat(send("GET /v1/kv/" + ns + "%E2%82%AC HTTP/1.1").text()).isEqualTo("euro");

        for (String bad : new String[] {"\u00ff\u00fe", "a\u00c3", "\u00c3\u0028"}) {
            Answer refused = send("PUT /v1/kv/" + ns + bad + " HTTP/1.1");
            assertThat(refused.status()).isEqualTo(400);
            assertProblem(refused, 400, "bad-key");
            assertThat(refused.text()).contains("not valid UTF-8");
        }
        assertThat(send("GET /v1/kv/" + ns + "%C3%BF%C3%BE HTTP/1.1").status()).as("never stored as ÿþ").isEqualTo(404);
    }

    @Test
    void rawNonAsciiBytesInTheQueryAreTheBytesTheyStandFor() {
        send("PUT /v1/kv/" + ns + "q/%C3%A9t%C3%A9 HTTP/1.1", bytes("v"));
        Answer listed = send("GET /v1/kv?prefix=" + ns + "q/\u00c3\u00a9 HTTP/1.1");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(JsonPath.from(listed.text()).getList("items.key", String.class)).containsExactly(ns + "q/été");
        Answer refused = send("GET /v1/kv?prefix=\u00ff HTTP/1.1");
        assertThat(refused.status()).isEqualTo(400);
        assertProblem(refused, 400, "bad-key");
    }

    @Test
    void malformedPercentEscapesAreBadEncodingProblems() {
        String[] targets = {"/v1/kv/%zz", "/v1/kv/%", "/v1/kv/a%2", "/v1/kv/%G1", "/v1/kv/abc%",
                "/v1/kv?prefix=%zz", "/v1/kv?after=a%2", "/v1/kv/a?consistency=%", "/v1/cluster?x=%",
                "/nothing/%zz"};
        for (String target : targets) {
            for (String method : new String[] {"GET", "PUT", "DELETE"}) {
                Answer a = send(method + " " + target + " HTTP/1.1");
                assertThat(a.status()).as("%s %s", method, target).isEqualTo(400);
                assertProblem(a, 400, "bad-encoding");
                assertThat(JsonPath.from(a.text()).getString("detail")).contains("percent-escape");
            }
        }
    }

    @Test
    void charactersAURIMayNotContainAreBadUriProblemsAndTheirEscapesAreKeys() {
        for (String raw : new String[] {"a|b", "a\"b", "a<b", "a\\b", "a{b", "a\u0001b", "a\u007fb"}) {
            Answer a = send("PUT /v1/kv/" + ns + raw + " HTTP/1.1");
            assertThat(a.status()).as(raw).isEqualTo(400);
            assertProblem(a, 400, "bad-uri");
        }
        Answer escaped = send("PUT /v1/kv/" + ns + "a%7Cb%22c HTTP/1.1", bytes("v"));
        assertThat(escaped.status()).isEqualTo(201);
        assertThat(JsonPath.from(escaped.text()).getString("key")).isEqualTo(ns + "a|b\"c");
    }

    static void assertProblem(Answer a, int status, String type) {
        assertThat(a.header("Content-Type")).as(a.toString()).isEqualTo("application/problem+json");
        JsonPath problem = JsonPath.from(a.text());
        assertThat(problem.getInt("status")).isEqualTo(status);
        assertThat(problem.getString("type")).isEqualTo("urn:ordinal:problem:" + type);
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("detail")).isNotBlank();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
