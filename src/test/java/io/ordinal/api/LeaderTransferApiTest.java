package io.ordinal.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** {@code POST /v1/cluster/leader} on a group of one: only the leader itself is a target. (Three: LeaderTransferTest.) */
@QuarkusTest
class LeaderTransferApiTest {

    @Test
    void transferringToTheLeaderItselfAnswersTheStatusAtOnce() {
        given().body("{\"target\":\"kv-store-0\"}").post("/v1/cluster/leader").then().statusCode(200)
                .body("leader", equalTo("kv-store-0"));
    }

    @Test
    void aTargetThatIsNotAMemberIs400() {
        given().body("{\"target\":\"kv-store-7\"}").post("/v1/cluster/leader").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:ordinal:problem:bad-target"));
        given().body("{}").post("/v1/cluster/leader").then().statusCode(400);
        given().get("/v1/cluster/leader").then().statusCode(405).header("Allow", equalTo("POST"));
    }
}
