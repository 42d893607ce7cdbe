package io.ordinal.api;

import io.ordinal.process.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** The cluster endpoint, errors for unknown paths and methods, and the operations endpoints. */
@QuarkusTest
class OperationsTest {

    @Test
    void clusterShowsTheLeaderTermAndEveryMember() {
        given().get("/v1/cluster").then().statusCode(200)
                .contentType("application/json")
                .body("leader", equalTo("kv-store-0"))
                .body("term", greaterThanOrEqualTo(1))
                .body("members.id", hasItem("kv-store-0"))
                .body("members[0].role", equalTo("LEADER"))
                .body("members[0].address", notNullValue())
                .body("members[0].commitIndex", greaterThanOrEqualTo(0))
                .body("members[0].appliedIndex", greaterThanOrEqualTo(0));
    }

    @Test
    void aReplicaDescribesItself() {
        given().get("/v1/replica").then().statusCode(200).body("id", equalTo("kv-store-0"))
                .body("role", equalTo("LEADER")).body("leader", equalTo("kv-store-0"));
    }

    @Test
    void unknownPathsAre404Problems() {
        for (String path : new String[] {"/v2/kv/a", "/nothing", "/v1/kvx"}) {
            given().get(path).then().statusCode(404).contentType("application/problem+json")
                    .body("status", equalTo(404)).body("title", notNullValue()).body("type", notNullValue());
        }
    }

    @Test
    void wrongMethodsAre405WithAnAllowHeader() {
        given().body("x").post("/v1/kv/a").then().statusCode(405)
                .contentType("application/problem+json")
                .header("Allow", "GET, HEAD, PUT, DELETE");
        given().body("x").patch("/v1/cluster").then().statusCode(405).header("Allow", "GET, HEAD");
        given().body("x").post("/v1/kv").then().statusCode(405).header("Allow", "GET, HEAD");
        // The collection has no key to write or delete; the empty key under it is a bad key.
        given().body("x").put("/v1/kv").then().statusCode(405).header("Allow", "GET, HEAD")
                .contentType("application/problem+json").body("status", equalTo(405));
        given().delete("/v1/kv").then().statusCode(405).header("Allow", "GET, HEAD");
        given().body("x").put("/v1/kv/").then().statusCode(400)
                .body("type", equalTo("urn:ordinal:problem:bad-key"));
    }

    @Test
    void optionsAnswersTheSameAllowAsA405OnEveryPath() {
        String[][] paths = {
                {"/v1/kv/a", "POST", "GET, HEAD, PUT, DELETE"},
                {"/v1/kv/a/b/c", "PATCH", "GET, HEAD, PUT, DELETE"},
                {"/v1/kv/%2e", "POST", "GET, HEAD, PUT, DELETE"},
                {"/v1/kv", "PUT", "GET, HEAD"},
                {"/v1/kv", "DELETE", "GET, HEAD"},
                {"/v1/kv", "POST", "GET, HEAD"},
                {"/v1/cluster", "PUT", "GET, HEAD"},
                {"/v1/replica", "DELETE", "GET, HEAD"},
        };
        for (String[] p : paths) {
            String options = given().urlEncodingEnabled(false).options(p[0]).then().statusCode(200)
                    .extract().header("Allow");
            String notAllowed = given().urlEncodingEnabled(false).body("x").request(p[1], p[0]).then()
                    .statusCode(405).extract().header("Allow");
            assertThat(options).as("OPTIONS %s", p[0]).isEqualTo(p[2]);
            assertThat(notAllowed).as("%s %s", p[1], p[0]).isEqualTo(p[2]);
        }
        given().options("/nothing").then().statusCode(404);
    }

    @Test
    void keyPathsNeverBecomeUriTagsOfTheRequestMetrics() {
        String ns = "metrics-" + UUID.randomUUID();
        given().body("x").put("/v1/kv/" + ns + "/a").then().statusCode(201);
        given().get("/v1/kv/" + ns + "/a").then().statusCode(200);
        given().get("/v1/kv/" + ns + "/absent").then().statusCode(404);
        given().body("x").post("/v1/kv/" + ns + "/a").then().statusCode(405);
        given().delete("/v1/kv/" + ns + "/a").then().statusCode(204);
        given().urlEncodingEnabled(false).get("/v1/kv/" + ns + "%FF").then().statusCode(400);
        for (String target : new String[] {"/v1/kv/" + ns + "/%2e%2e", "/v1/kv/" + ns + "%zz", "/v1/kv/" + ns + "a%2",
                "/v1/kv/" + ns + "|", "/v1/kv/" + ns + "\u00c3\u00a9", "/v1/kv/", "/v1/" + ns + "%zz", "/" + ns + "|x"}) {
            RawHttp.send("PUT " + target + " HTTP/1.1");
        }
        RawHttp.send("PUT /v1/kv/" + ns + "/ct HTTP/1.1", new byte[] {1}, "Content-Type: a/b/c");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(requestUriTags())
                .contains("/v1/kv/{key}", "/{bad-uri}"));
        Set<String> tags = requestUriTags();
        assertThat(tags).allSatisfy(uri -> assertThat(uri).doesNotContain(ns).doesNotContain("%").doesNotContain("|"));
        assertThat(tags.stream().filter(uri -> uri.startsWith("/v1/kv")).toList()).isSubsetOf("/v1/kv", "/v1/kv/{key}");
    }

    /** Every uri tag of http_server_requests_seconds in the Prometheus scrape. */
    private static Set<String> requestUriTags() {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> tags = new TreeSet<>();
        Matcher m = Pattern.compile("^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"", Pattern.MULTILINE)
                .matcher(scrape);
        while (m.find()) {
            tags.add(m.group(1));
        }
        return tags;
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().body("x").put("/v1/kv/metrics-probe").then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("ordinal_raft_term"))
                .body(containsString("ordinal_raft_applied_index"))
                .body(containsString("ordinal_rocksdb_size_bytes"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/kv"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
