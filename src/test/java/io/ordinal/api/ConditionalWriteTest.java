package io.ordinal.api;

import io.ordinal.process.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.ordinal.api.KvApiTest.put;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** If-Match and If-None-Match: decided atomically with the write; a failed condition changes nothing. */
@QuarkusTest
class ConditionalWriteTest {

    private final String ns = "cas-" + UUID.randomUUID() + "/";

    @Test
    void ifMatchWithTheCurrentRevisionApplies() {
        long r1 = put(ns + "k", "1");
        long r2 = given().header("If-Match", "\"" + r1 + "\"").body("2").put("/v1/kv/" + ns + "k")
                .then().statusCode(200).extract().jsonPath().getLong("revision");
        assertThat(r2).isGreaterThan(r1);
        given().get("/v1/kv/" + ns + "k").then().body(equalTo("2"));
    }

    @Test
    void ifMatchWithAnOldRevisionIs412WithTheCurrentRevisionAndChangesNothing() {
        long r1 = put(ns + "k", "1");
        long r2 = put(ns + "k", "2");
        given().header("If-Match", "\"" + r1 + "\"").body("3").put("/v1/kv/" + ns + "k")
                .then().statusCode(412)
                .contentType("application/problem+json")
                .body("status", equalTo(412))
                .body("type", notNullValue())
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .body("currentRevision", equalTo((int) r2));
        given().get("/v1/kv/" + ns + "k").then().body(equalTo("2")).header("ETag", "\"" + r2 + "\"");
    }

    @Test
    void ifMatchOnAnAbsentKeyIs412WithCurrentRevisionZero() {
        given().header("If-Match", "\"5\"").body("x").put("/v1/kv/" + ns + "absent")
                .then().statusCode(412).body("currentRevision", equalTo(0));
        given().get("/v1/kv/" + ns + "absent").then().statusCode(404);
    }

    @Test
    void ifNoneMatchStarCreatesOnlyWhenAbsent() {
        long r = given().header("If-None-Match", "*").body("first").put("/v1/kv/" + ns + "once")
                .then().statusCode(201).extract().jsonPath().getLong("revision");
        given().header("If-None-Match", "*").body("second").put("/v1/kv/" + ns + "once")
                .then().statusCode(412).body("currentRevision", equalTo((int) r));
        given().get("/v1/kv/" + ns + "once").then().body(equalTo("first"));
    }

    @Test
    void conditionalDeleteOfAnAbsentKeyIs412ButUnconditionalIs404() {
        given().header("If-Match", "\"1\"").delete("/v1/kv/" + ns + "gone")
                .then().statusCode(412).body("currentRevision", equalTo(0));
        given().delete("/v1/kv/" + ns + "gone").then().statusCode(404);
    }

    @Test
    void conditionalDeleteAppliesOnlyAtTheMatchingRevision() {
        long r1 = put(ns + "del", "1");
        long r2 = put(ns + "del", "2");
        given().header("If-Match", "\"" + r1 + "\"").delete("/v1/kv/" + ns + "del")
                .then().statusCode(412).body("currentRevision", equalTo((int) r2));
        given().get("/v1/kv/" + ns + "del").then().statusCode(200);
        given().header("If-Match", "\"" + r2 + "\"").delete("/v1/kv/" + ns + "del").then().statusCode(204);
        given().get("/v1/kv/" + ns + "del").then().statusCode(404);
    }

    @Test
    void unusableConditionHeadersAre400AndChangeNothing() {
        put(ns + "h", "1");
        String[][] cases = {
                {"If-Match", "W/\"1\""},
                {"If-Match", "\"1\", W/\"2\""},
                {"If-Match", "abc"},
                {"If-Match", "\"1\" \"2\""},
                {"If-Match", "\"1"},
                {"If-Match", "*, \"1\""},
                {"If-Match", "\"1\", *"},
                {"If-Match", ""},
                {"If-Match", ", ,"},
                {"If-None-Match", "\"1\""},
        };
        for (String[] c : cases) {
            given().header(c[0], c[1]).body("2").put("/v1/kv/" + ns + "h").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        given().header("If-Match", "*").header("If-None-Match", "*").body("2").put("/v1/kv/" + ns + "h")
                .then().statusCode(400);
        given().header("If-None-Match", "*").delete("/v1/kv/" + ns + "h").then().statusCode(400);
        given().get("/v1/kv/" + ns + "h").then().body(equalTo("1"));
    }

    @Test
    void ifMatchWithAListAppliesWhenTheCurrentRevisionIsAnyOfThem() {
        long r1 = put(ns + "list", "1");
        long r2 = put(ns + "list", "2");
        // The current revision listed last, first, or between tags that are not revisions.
        long r3 = given().header("If-Match", "\"" + r1 + "\", \"" + r2 + "\"").body("3").put("/v1/kv/" + ns + "list")
                .then().statusCode(200).body("previousRevision", equalTo((int) r2)).extract().jsonPath().getLong("revision");
        long r4 = given().header("If-Match", "\"" + r3 + "\",\"" + r1 + "\"").body("4").put("/v1/kv/" + ns + "list")
                .then().statusCode(200).extract().jsonPath().getLong("revision");
        given().header("If-Match", " \"abc\" , ,\"" + r4 + "\", \"x\" ").body("5").put("/v1/kv/" + ns + "list")
                .then().statusCode(200).body("previousRevision", equalTo((int) r4));
        given().get("/v1/kv/" + ns + "list").then().body(equalTo("5"));
    }

    @Test
    void ifMatchWithAListAppliesWhenAnOlderListedRevisionIsCurrent() {
        long r = put(ns + "older", "1");
        // A higher listed revision is tried first and fails; the current one, also listed, then applies.
        long r2 = given().header("If-Match", "\"" + r + "\", \"" + (r + 1_000_000) + "\"").body("2")
                .put("/v1/kv/" + ns + "older")
                .then().statusCode(200).body("previousRevision", equalTo((int) r)).extract().jsonPath().getLong("revision");
        given().get("/v1/kv/" + ns + "older").then().body(equalTo("2"));
        given().header("If-Match", "\"" + (r2 + 1_000_000) + "\", \"" + r2 + "\"").delete("/v1/kv/" + ns + "older")
                .then().statusCode(204);
        given().get("/v1/kv/" + ns + "older").then().statusCode(404);
    }

    @Test
    void ifMatchWithAListOfWhichNoneIsCurrentIs412AndChangesNothing() {
        long r = put(ns + "none", "1");
        given().header("If-Match", "\"" + (r - 1) + "\", \"" + (r + 1_000_000) + "\", \"abc\"").body("2")
                .put("/v1/kv/" + ns + "none")
                .then().statusCode(412).contentType("application/problem+json").body("currentRevision", equalTo((int) r));
        given().header("If-Match", "\"" + (r - 1) + "\", \"" + (r + 1_000_000) + "\"").delete("/v1/kv/" + ns + "none")
                .then().statusCode(412).body("currentRevision", equalTo((int) r));
        given().header("If-Match", "\"1\", \"2\"").delete("/v1/kv/" + ns + "never-written")
                .then().statusCode(412).body("currentRevision", equalTo(0));
        given().get("/v1/kv/" + ns + "none").then().body(equalTo("1")).header("ETag", "\"" + r + "\"");
    }

    @Test
    void aRepeatedIfMatchHeaderIsOneList() {
        long r = put(ns + "repeated", "1");
        RawHttp.Answer stale = RawHttp.send("PUT /v1/kv/" + ns + "repeated HTTP/1.1", "2".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "If-Match: \"" + (r - 1) + "\"", "If-Match: \"" + (r + 1_000_000) + "\"");
        assertThat(stale.status()).isEqualTo(412);
        RawHttp.Answer current = RawHttp.send("PUT /v1/kv/" + ns + "repeated HTTP/1.1", "3".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "If-Match: \"" + (r - 1) + "\"", "If-Match: \"" + r + "\"");
        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        given().get("/v1/kv/" + ns + "repeated").then().body(equalTo("3"));
    }

    @Test
    void ifMatchOnAReadIs412UnlessTheKeyIsAtAListedRevision() {
        long r = put(ns + "read", "v");
        given().header("If-Match", "\"" + r + "\"").get("/v1/kv/" + ns + "read")
                .then().statusCode(200).body(equalTo("v")).header("ETag", "\"" + r + "\"");
        given().header("If-Match", "\"1\", \"" + r + "\"").get("/v1/kv/" + ns + "read").then().statusCode(200);
        given().header("If-Match", "*").get("/v1/kv/" + ns + "read").then().statusCode(200);
        given().header("If-Match", "\"" + (r - 1) + "\"").get("/v1/kv/" + ns + "read")
                .then().statusCode(412).contentType("application/problem+json").body("currentRevision", equalTo((int) r));
        given().header("If-Match", "\"" + r + "\"").queryParam("consistency", "stale").get("/v1/kv/" + ns + "read")
                .then().statusCode(200);
        given().header("If-Match", "\"" + r + "\"").get("/v1/kv/" + ns + "read-absent")
                .then().statusCode(412).body("currentRevision", equalTo(0));
        given().header("If-Match", "*").get("/v1/kv/" + ns + "read-absent").then().statusCode(412);
        given().get("/v1/kv/" + ns + "read-absent").then().statusCode(404);
        given().header("If-Match", "W/\"" + r + "\"").get("/v1/kv/" + ns + "read").then().statusCode(400);
        given().header("If-Match", "\"" + (r - 1) + "\"").head("/v1/kv/" + ns + "read").then().statusCode(412);
    }

    @Test
    void aQuotedTagThatIsNotARevisionNeverMatches() {
        long r = put(ns + "q", "1");
        given().header("If-Match", "\"abc\"").body("2").put("/v1/kv/" + ns + "q")
                .then().statusCode(412).body("currentRevision", equalTo((int) r));
    }

    @Test
    void ifMatchStarRequiresTheKeyToExist() {
        given().header("If-Match", "*").body("x").put("/v1/kv/" + ns + "star").then().statusCode(412);
        put(ns + "star", "1");
        given().header("If-Match", "*").body("2").put("/v1/kv/" + ns + "star").then().statusCode(200);
    }
}
