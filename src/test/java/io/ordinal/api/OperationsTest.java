package io.ordinal.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
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
