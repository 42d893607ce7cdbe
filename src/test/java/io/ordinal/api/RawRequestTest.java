package io.ordinal.api;

import io.ordinal.process.RawHttp;
import io.ordinal.process.RawHttp.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static io.ordinal.process.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests as a client may really send them, written byte for byte: the key is the rest of the raw
 * path, whatever the framework would normalise, and every refusal is a problem.
 */
@QuarkusTest
class RawRequestTest {

    private final String ns = "raw-" + UUID.randomUUID() + "/";

    @Test
    void dotSegmentsArePartOfTheKey() {
        // Each row: forms of one key as sent on the wire, then the key they all name.
        List<List<String>> rows = List.of(
                List.of("%2e", ".", "%2E", "."),
                List.of("%2e%2e/x", "../x", ".%2E/x", "../x"),
                List.of(ns + ".", ns + "%2e", ns + "."),
                List.of(ns + "./", ns + "%2E/", ns + "./"),
                List.of(ns + "a/..", ns + "a/%2e%2e", ns + "a/.%2e", ns + "a/.."),
                List.of(ns + "x/y/../..", ns + "x/y/%2e%2e/..", ns + "x/y/../.."));
        for (List<String> row : rows) {
            String key = row.get(row.size() - 1);
            List<String> forms = row.subList(0, row.size() - 1);
            String value = "value of " + key;

            Answer created = send("PUT /v1/kv/" + forms.get(0) + " HTTP/1.1", bytes(value));
            assertThat(created.status()).as("PUT %s", forms.get(0)).isEqualTo(201);
            assertThat(JsonPath.from(created.text()).getString("key")).isEqualTo(key);
            for (String form : forms) {
                Answer got = send("GET /v1/kv/" + form + " HTTP/1.1");
                assertThat(got.status()).as("GET %s", form).isEqualTo(200);
                assertThat(got.header("Content-Type")).isEqualTo("application/octet-stream");
                assertThat(got.text()).isEqualTo(value);
            }
            Answer replaced = send("PUT /v1/kv/" + forms.get(forms.size() - 1) + " HTTP/1.1", bytes(value));
            assertThat(replaced.status()).isEqualTo(200);
            assertThat(send("DELETE /v1/kv/" + forms.get(forms.size() - 1) + " HTTP/1.1").status()).isEqualTo(204);
            assertThat(send("GET /v1/kv/" + forms.get(0) + " HTTP/1.1").status()).isEqualTo(404);
        }
    }

    @Test
    void aPathThatIsOursOnlyAfterNormalisingIsUnknown() {
        for (String path : new String[] {"/v1//kv/zz", "/v1/x/../kv/a", "/v1/./kv/a", "/v1/k%76/a"}) {
            for (String method : new String[] {"GET", "PUT", "DELETE"}) {
                Answer a = send(method + " " + path + " HTTP/1.1");
                assertThat(a.status()).as("%s %s", method, path).isEqualTo(404);
                assertProblem(a, 404, "not-found");
            }
        }
    }

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

    @Test
    void anyContentTypeWellFormedOrNotStoresTheRawBody() {
        String body = "a=b&c=d+e%20f";
        String[] types = {"foo", "a/b/c", ";;;", "application/x-www-form-urlencoded", "multipart/form-data",
                "text/plain; charset=nonsense", ""};
        for (int i = 0; i < types.length; i++) {
            String path = "/v1/kv/" + ns + "ct/" + i;
            Answer put = send("PUT " + path + " HTTP/1.1", bytes(body), "Content-Type: " + types[i]);
            assertThat(put.status()).as("Content-Type: %s", types[i]).isEqualTo(201);
            Answer got = send("GET " + path + " HTTP/1.1");
            assertThat(got.text()).as("Content-Type: %s", types[i]).isEqualTo(body);
        }
    }

    @Test
    void aKeyRequestIsAnsweredAlikeOnTheHotPathAndOffIt() {
        // A PUT with a declared length or chunked, a GET, a HEAD and a DELETE with or without a body:
        // one route answers them all, and no client may tell how the request was framed.
        String path = "/v1/kv/" + ns + "alike";
        Answer created = RawHttp.sendChunked("PUT " + path + " HTTP/1.1", bytes("chunked value"));
        Answer replaced = send("PUT " + path + " HTTP/1.1", bytes("sized"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(replaced.status()).isEqualTo(200);
        long revision = JsonPath.from(created.text()).getLong("revision");
        assertThat(created.header("ETag")).isEqualTo("\"" + revision + "\"");
        assertThat(replaced.header("ETag")).isEqualTo("\"" + JsonPath.from(replaced.text()).getLong("revision") + "\"");
        assertThat(JsonPath.from(replaced.text()).getLong("previousRevision")).isEqualTo(revision);
        assertThat(JsonPath.from(replaced.text()).getMap("").keySet())
                .containsExactlyElementsOf(JsonPath.from(created.text()).getMap("").keySet());
        assertThat(replaced.header("Content-Type")).isEqualTo(created.header("Content-Type"));

        Answer got = send("GET " + path + " HTTP/1.1");
        Answer head = send("HEAD " + path + " HTTP/1.1");
        assertThat(got.text()).isEqualTo("sized");
        assertThat(head.status()).isEqualTo(got.status());
        assertThat(head.header("ETag")).isEqualTo(got.header("ETag")).isEqualTo(replaced.header("ETag"));
        assertThat(head.header("Content-Type")).isEqualTo(got.header("Content-Type"));

        assertThat(send("DELETE " + path + " HTTP/1.1", bytes("ignored")).status()).isEqualTo(204);
        Answer absent = send("DELETE " + path + " HTTP/1.1");
        Answer absentWithBody = send("DELETE " + path + " HTTP/1.1", bytes("ignored"));
        assertProblem(absent, 404, "not-found");
        assertThat(absentWithBody.text()).isEqualTo(absent.text());
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
