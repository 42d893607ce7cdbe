package io.ordinal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** {@code GET /v1/watch}: the exact shape of its Server-Sent Events, where it starts, resuming, and 410. */
@QuarkusTest
class WatchApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String ns = "watch-" + UUID.randomUUID() + "/";

    @Test
    void eachChangeIsOneEventWhoseIdIsItsRevisionAndWhoseDataIsTheChange() throws Exception {
        try (SseClient sse = SseClient.open("/v1/watch?prefix=" + ns)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
            long put = put(ns + "a", "hello");
            given().delete("/v1/kv/" + ns + "a").then().statusCode(204);

            SseClient.Event first = sse.next();
            assertThat(first.event()).isEqualTo("message");
            assertThat(first.id()).isEqualTo(Long.toString(put));
            JsonNode data = JSON.readTree(first.data());
            assertThat(fields(data)).containsExactly("type", "key", "value", "modRevision");
            assertThat(data.get("type").asText()).isEqualTo("put");
            assertThat(data.get("key").asText()).isEqualTo(ns + "a");
            assertThat(Base64.getDecoder().decode(data.get("value").asText())).isEqualTo(bytes("hello"));
            assertThat(data.get("modRevision").asLong()).isEqualTo(put);

            SseClient.Event second = sse.next();
            JsonNode deleted = JSON.readTree(second.data());
            assertThat(fields(deleted)).containsExactly("type", "key", "modRevision");
            assertThat(deleted.get("type").asText()).isEqualTo("delete");
            assertThat(deleted.get("modRevision").asLong()).isGreaterThan(put);
            assertThat(second.id()).isEqualTo(deleted.get("modRevision").asText());
        }
    }

    @Test
    void aKeyWatchSeesOnlyThatKeyAndAPrefixWatchEveryKeyUnderIt() throws Exception {
        try (SseClient one = SseClient.open("/v1/watch?key=" + ns + "x");
             SseClient all = SseClient.open("/v1/watch?prefix=" + ns)) {
            put(ns + "y", "1");
            long x = put(ns + "x", "2");
            assertThat(JSON.readTree(one.next().data()).get("modRevision").asLong()).isEqualTo(x);
            assertThat(JSON.readTree(all.next().data()).get("key").asText()).isEqualTo(ns + "y");
            assertThat(JSON.readTree(all.next().data()).get("key").asText()).isEqualTo(ns + "x");
            assertThat(one.next(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void fromRevisionIsInclusiveAndWithoutItTheWatchStartsAfterNow() throws Exception {
        long first = put(ns + "k", "1");
        long second = put(ns + "k", "2");
        try (SseClient from = SseClient.open("/v1/watch?key=" + ns + "k&fromRevision=" + first);
             SseClient now = SseClient.open("/v1/watch?key=" + ns + "k")) {
            assertThat(from.next().id()).isEqualTo(Long.toString(first));
            assertThat(from.next().id()).isEqualTo(Long.toString(second));
            long third = put(ns + "k", "3");
            assertThat(from.next().id()).isEqualTo(Long.toString(third));
            assertThat(now.next().id()).isEqualTo(Long.toString(third));
        }
    }

    @Test
    void lastEventIdResumesWithTheFirstChangeAfterItWithoutGapOrDuplicate() throws Exception {
        List<Long> revisions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            revisions.add(put(ns + "r" + i, "v"));
        }
        List<String> seen = new ArrayList<>();
        try (SseClient sse = SseClient.open("/v1/watch?prefix=" + ns + "&fromRevision=" + revisions.get(0))) {
            seen.add(sse.next().id());
            seen.add(sse.next().id());
        }
        // as an EventSource reconnects: the same URL, and the last id it received
        try (SseClient resumed = SseClient.open("/v1/watch?prefix=" + ns + "&fromRevision=" + revisions.get(0),
                Map.of("Last-Event-ID", seen.get(1)))) {
            for (int i = 0; i < 3; i++) {
                seen.add(resumed.next().id());
            }
            assertThat(resumed.next(Duration.ofMillis(300))).isNull();
        }
        assertThat(seen).containsExactlyElementsOf(revisions.stream().map(String::valueOf).toList());
    }

    @Test
    void theWritesOfOneTransactionAreEventsOfOneRevisionAndTheLastIdIsTheRevision() throws Exception {
        try (SseClient sse = SseClient.open("/v1/watch?prefix=" + ns)) {
            String body = "{\"success\":[{\"op\":\"put\",\"key\":\"" + ns + "t1\",\"value\":\"MQ==\"},"
                    + "{\"op\":\"put\",\"key\":\"" + ns + "t2\",\"value\":\"Mg==\"}]}";
            long revision = given().body(body).post("/v1/txn").then().statusCode(200).extract().jsonPath().getLong("revision");
            SseClient.Event a = sse.next();
            SseClient.Event b = sse.next();
            assertThat(a.id()).isEqualTo(revision + ".0");
            assertThat(b.id()).isEqualTo(Long.toString(revision));
            assertThat(JSON.readTree(a.data()).get("key").asText()).isEqualTo(ns + "t1");
            assertThat(JSON.readTree(b.data()).get("key").asText()).isEqualTo(ns + "t2");
        }
    }

    @Test
    void aResumeInsideARevisionGetsTheRestOfItExactlyOnce() throws Exception {
        // Three 600 KiB puts in one transaction: a poll of the history (1 MiB) stops inside the revision.
        String txn = "{\"success\":[" + bigPut(ns + "big/1", 'a') + "," + bigPut(ns + "big/2", 'b') + ","
                + bigPut(ns + "big/3", 'c') + "]}";
        long revision = given().body(txn).post("/v1/txn").then().statusCode(200).extract().jsonPath().getLong("revision");
        String url = "/v1/watch?prefix=" + ns + "&fromRevision=" + revision;
        List<SseClient.Event> seen = new ArrayList<>();
        try (SseClient sse = SseClient.open(url)) {
            assertThat(sse.status()).isEqualTo(200);
            seen.add(sse.next());
        } // the connection drops after the first event
        // as an EventSource reconnects: the same URL, and the last id it received
        try (SseClient resumed = SseClient.open(url, Map.of("Last-Event-ID", seen.get(0).id()))) {
            assertThat(resumed.status()).isEqualTo(200);
            for (SseClient.Event e = resumed.next(Duration.ofSeconds(5)); e != null; e = resumed.next(Duration.ofSeconds(1))) {
                seen.add(e);
            }
        }
        List<String> keys = new ArrayList<>();
        for (SseClient.Event e : seen) {
            JsonNode data = JSON.readTree(e.data());
            String key = data.get("key").asText();
            keys.add(key);
            char fill = (char) ('a' + key.charAt(key.length() - 1) - '1');
            assertThat(Base64.getDecoder().decode(data.get("value").asText())).as(key).isEqualTo(bigValue(fill));
        }
        assertThat(keys).containsExactly(ns + "big/1", ns + "big/2", ns + "big/3");
    }

    @Test
    void aRevisionOlderThanTheHistoryIsGoneWithTheOldestAvailableRevision() {
        long first = put(ns + "old", "0");
        for (int i = 0; i < 300; i++) { // the test profile keeps 300 revisions
            put(ns + "old", Integer.toString(i));
        }
        var gone = given().get("/v1/watch?key=" + ns + "old&fromRevision=" + first).then().statusCode(410)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ordinal:problem:revision-compacted"))
                .extract().jsonPath();
        long oldest = gone.getLong("oldestRevision");
        assertThat(oldest).isGreaterThan(first);
        given().header("Last-Event-ID", Long.toString(first - 1)).get("/v1/watch?key=" + ns + "old").then().statusCode(410);
        try (SseClient sse = SseClient.open("/v1/watch?key=" + ns + "old&fromRevision=" + oldest)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.next().id()).isEqualTo(Long.toString(oldest));
        }
    }

    @Test
    void badRequestsAreProblemsBeforeTheStreamStarts() {
        given().get("/v1/watch").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:ordinal:problem:bad-parameter"));
        given().get("/v1/watch?key=a&prefix=b").then().statusCode(400);
        given().get("/v1/watch?key=").then().statusCode(400).body("type", equalTo("urn:ordinal:problem:bad-key"));
        given().get("/v1/watch?key=a&fromRevision=0").then().statusCode(400);
        given().get("/v1/watch?key=a&fromRevision=abc").then().statusCode(400);
        given().header("Last-Event-ID", "x").get("/v1/watch?key=a").then().statusCode(400);
        given().header("Last-Event-ID", "5.x").get("/v1/watch?key=a").then().statusCode(400);
        given().header("Last-Event-ID", "0.0").get("/v1/watch?key=a").then().statusCode(400);
        given().header("Last-Event-ID", "-1").get("/v1/watch?key=a").then().statusCode(400);
        given().post("/v1/watch?key=a").then().statusCode(405).header("Allow", equalTo("GET, HEAD"));
        given().options("/v1/watch").then().statusCode(200).header("Allow", equalTo("GET, HEAD"));
        given().head("/v1/watch?key=a").then().statusCode(200).header("Content-Type", startsWith("text/event-stream"));
    }

    @Test
    void theOpenApiDocumentDescribesTheWatchAndEveryOtherAddition() {
        String doc = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(doc).contains("/v1/watch").contains("text/event-stream").contains("/v1/txn")
                .contains("/v1/lease").contains("/v1/lease/{id}/keepalive").contains("/v1/cluster/leader");
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String bigPut(String key, char fill) {
        return "{\"op\":\"put\",\"key\":\"" + key + "\",\"value\":\"" + Base64.getEncoder().encodeToString(bigValue(fill)) + "\"}";
    }

    private static byte[] bigValue(char fill) {
        byte[] value = new byte[600 * 1024];
        java.util.Arrays.fill(value, (byte) fill);
        return value;
    }

    private static long put(String key, String value) {
        return given().body(value).put("/v1/kv/" + key).then().extract().jsonPath().getLong("revision");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
