package io.ordinal.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** PUT, GET and DELETE of single keys, against an all-in-one node: every rule of API v1 about them. */
@QuarkusTest
class KvApiTest {

    private final String ns = "kvapi-" + UUID.randomUUID() + "/";

    @Test
    void putOfANewKeyAnswers201WithRevisionAndETagThenReplacingAnswers200() {
        Response created = given().body("v1").put("/v1/kv/" + ns + "a");
        created.then().statusCode(201)
                .contentType("application/json")
                .body("key", equalTo(ns + "a"))
                .body("previousRevision", equalTo(0));
        long revision = created.jsonPath().getLong("revision");
        assertThat(revision).isPositive();
        assertThat(created.header("ETag")).isEqualTo("\"" + revision + "\"");

        Response replaced = given().body("v2").put("/v1/kv/" + ns + "a");
        replaced.then().statusCode(200);
        assertThat(replaced.jsonPath().getLong("previousRevision")).isEqualTo(revision);
        assertThat(replaced.jsonPath().getLong("revision")).isGreaterThan(revision);
    }

    @Test
    void revisionsIncreaseAcrossTheWholeStoreAndADeleteTakesOne() {
        long a = put(ns + "x", "1");
        long b = put(ns + "y", "1");
        assertThat(b).isGreaterThan(a);
        given().delete("/v1/kv/" + ns + "x").then().statusCode(204);
        long c = put(ns + "z", "1");
        // the delete took a revision between b and c
        assertThat(c).isGreaterThan(b + 1);
    }

    @Test
    void getReturnsTheValueByteForByteWithOctetStreamAndModRevisionETag() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        long revision = given().body(binary).contentType("application/octet-stream")
                .put("/v1/kv/" + ns + "bin").jsonPath().getLong("revision");
        Response got = given().get("/v1/kv/" + ns + "bin");
        got.then().statusCode(200).contentType("application/octet-stream");
        assertThat(got.asByteArray()).isEqualTo(binary);
        assertThat(got.header("ETag")).isEqualTo("\"" + revision + "\"");
    }

    @Test
    void anEmptyValueIsAValue() {
        given().body(new byte[0]).put("/v1/kv/" + ns + "empty").then().statusCode(201);
        Response got = given().get("/v1/kv/" + ns + "empty");
        got.then().statusCode(200);
        assertThat(got.asByteArray()).isEmpty();
    }

    @Test
    void absentKeysAre404AndDeleteIs204Then404() {
        given().get("/v1/kv/" + ns + "missing").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        put(ns + "d", "1");
        given().delete("/v1/kv/" + ns + "d").then().statusCode(204);
        given().get("/v1/kv/" + ns + "d").then().statusCode(404);
        given().delete("/v1/kv/" + ns + "d").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void slashesAndEncodedSlashesNameTheSameKeyAndPlusIsLiteral() {
        put(ns + "users/42", "slash");
        given().urlEncodingEnabled(false).get("/v1/kv/" + ns + "users%2F42").then().statusCode(200).body(equalTo("slash"));
        given().urlEncodingEnabled(false).body("plus").put("/v1/kv/" + ns + "a+b").then().statusCode(201)
                .body("key", equalTo(ns + "a+b"));
        given().urlEncodingEnabled(false).get("/v1/kv/" + ns + "a%2Bb").then().statusCode(200).body(equalTo("plus"));
        given().urlEncodingEnabled(false).get("/v1/kv/" + ns + "a%20b").then().statusCode(404);
    }

    @Test
    void percentEncodedUtf8KeysRoundTripAndCountBytesNotCharacters() {
        String greek = "αβγ-\uD83D\uDE00";
        given().body("g").put("/v1/kv/" + ns + greek).then().statusCode(201).body("key", equalTo(ns + greek));
        given().get("/v1/kv/" + ns + greek).then().statusCode(200).body(equalTo("g"));

        // 1024 bytes is the most; 'é' is two bytes in UTF-8
        String max = "é".repeat(512);
        given().body("m").put("/v1/kv/" + max).then().statusCode(201);
        given().get("/v1/kv/" + max).then().statusCode(200);
        given().body("m").put("/v1/kv/" + max + "x").then().statusCode(400)
                .contentType("application/problem+json").body("detail", startsWith("the key is 1025 bytes"));
        given().body("m").put("/v1/kv/" + "k".repeat(1025)).then().statusCode(400);
    }

    @Test
    void invalidUtf8AndEmptyKeysAre400NotReplaced() {
        for (String bad : new String[] {"%FF", "%C3%28", "a%E2%82", "%ED%A0%80"}) {
            given().urlEncodingEnabled(false).body("x").put("/v1/kv/" + bad).then().statusCode(400)
                    .contentType("application/problem+json").body("status", equalTo(400));
            given().urlEncodingEnabled(false).get("/v1/kv/" + bad).then().statusCode(400);
        }
        // Malformed escapes: RawRequestTest.malformedPercentEscapesAreBadEncodingProblems
        given().body("x").put("/v1/kv/").then().statusCode(400).contentType("application/problem+json");
        given().get("/v1/kv/").then().statusCode(400);
        given().delete("/v1/kv/").then().statusCode(400);
    }

    @Test
    void valuesUpToTheLimitAreAcceptedAndOneByteMoreIs413() {
        byte[] limit = new byte[1_048_576];
        Arrays.fill(limit, (byte) 'v');
        given().body(limit).put("/v1/kv/" + ns + "big").then().statusCode(201);
        assertThat(given().get("/v1/kv/" + ns + "big").asByteArray()).isEqualTo(limit);

        byte[] over = new byte[1_048_577];
        given().body(over).put("/v1/kv/" + ns + "too-big").then().statusCode(413)
                .contentType("application/problem+json").body("status", equalTo(413));
        given().get("/v1/kv/" + ns + "too-big").then().statusCode(404);
    }

    @Test
    void theContentTypeDoesNotMatterTheRawBodyIsStored() throws Exception {
        String body = "a=b&c=d+e%20f";
        String[] types = {"application/json", "text/plain", "application/x-www-form-urlencoded", "image/png"};
        for (String type : types) {
            HttpResponse<String> r = http(HttpRequest.newBuilder(uri("/v1/kv/" + ns + "ct/" + type.replace('/', '_')))
                    .header("Content-Type", type)
                    .PUT(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(r.statusCode()).as(type).isEqualTo(201);
            given().get("/v1/kv/" + ns + "ct/" + type.replace('/', '_')).then().statusCode(200).body(equalTo(body));
        }
    }

    @Test
    void aBodyWithoutContentTypeIsStored() throws Exception {
        HttpResponse<String> r = http(HttpRequest.newBuilder(uri("/v1/kv/" + ns + "no-type"))
                .PUT(HttpRequest.BodyPublishers.ofString("plain")));
        assertThat(r.statusCode()).isEqualTo(201);
        given().get("/v1/kv/" + ns + "no-type").then().body(equalTo("plain"));
    }

    @Test
    void chunkedBodiesWork() throws Exception {
        byte[] payload = "chunked body".getBytes(StandardCharsets.UTF_8);
        // An InputStream publisher has no known length: the client sends Transfer-Encoding: chunked.
        HttpResponse<String> r = http(HttpRequest.newBuilder(uri("/v1/kv/" + ns + "chunked"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(payload))));
        assertThat(r.statusCode()).isEqualTo(201);
        given().get("/v1/kv/" + ns + "chunked").then().body(equalTo("chunked body"));
    }

    @Test
    void staleReadsAnswerWithTheValueAndItsModRevision() {
        long revision = put(ns + "stale", "s");
        given().queryParam("consistency", "stale").get("/v1/kv/" + ns + "stale").then().statusCode(200)
                .body(equalTo("s")).header("ETag", "\"" + revision + "\"");
        given().queryParam("consistency", "linearizable").get("/v1/kv/" + ns + "stale").then().statusCode(200);
        given().queryParam("consistency", "bogus").get("/v1/kv/" + ns + "stale").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void ifNoneMatchOnAReadOfTheCurrentRevisionIs304() {
        long revision = put(ns + "cached", "c");
        given().header("If-None-Match", "\"" + revision + "\"").get("/v1/kv/" + ns + "cached").then().statusCode(304);
        given().header("If-None-Match", "\"" + (revision + 100) + "\"").get("/v1/kv/" + ns + "cached").then().statusCode(200);
    }

    static long put(String key, String value) {
        Response r = given().body(value).put("/v1/kv/" + key);
        assertThat(r.statusCode()).isIn(200, 201);
        return r.jsonPath().getLong("revision");
    }

    static URI uri(String path) {
        return URI.create("http://localhost:" + io.restassured.RestAssured.port + path);
    }

    static HttpResponse<String> http(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
