package io.ordinal.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** Leases over HTTP: grant, attach, keepalive, revoke, expiry, and the distributed-lock recipe of docs/api.md. */
@QuarkusTest
class LeaseApiTest {

    private final String ns = "lease-" + UUID.randomUUID() + "/";

    @Test
    void aGrantedLeaseHoldsKeysUntilItIsRevokedThenTheyAreDeletedAtOneRevision() {
        long lease = grant(60);
        given().body("1").put("/v1/kv/" + ns + "a?lease=" + lease).then().statusCode(201);
        given().body("2").put("/v1/kv/" + ns + "b?lease=" + lease).then().statusCode(201);
        given().get("/v1/lease/" + lease).then().statusCode(200)
                .body("ttl", equalTo(60)).body("keys", contains(ns + "a", ns + "b"))
                .body("remainingMillis", lessThanOrEqualTo(60_000));
        var revoked = given().delete("/v1/lease/" + lease).then().statusCode(200)
                .body("id", equalTo((int) lease)).body("deleted", equalTo(2)).extract().jsonPath();
        assertThat(revoked.getLong("revision")).isPositive();
        given().get("/v1/kv/" + ns + "a").then().statusCode(404);
        given().get("/v1/kv/" + ns + "b").then().statusCode(404);
        given().get("/v1/lease/" + lease).then().statusCode(404).body("type", equalTo("urn:ordinal:problem:lease-not-found"));
        given().delete("/v1/lease/" + lease).then().statusCode(404);
    }

    @Test
    void anExpiredLeaseDeletesItsKeysAndAWatchSeesTheDeletes() throws Exception {
        long lease = grant(1);
        given().body("x").put("/v1/kv/" + ns + "ephemeral?lease=" + lease).then().statusCode(201);
        given().body("x").put("/v1/kv/" + ns + "kept").then().statusCode(201);
        try (SseClient sse = SseClient.open("/v1/watch?prefix=" + ns)) {
            SseClient.Event deleted = sse.next();
            assertThat(deleted.data()).contains("\"type\":\"delete\"").contains(ns + "ephemeral");
        }
        given().get("/v1/kv/" + ns + "ephemeral").then().statusCode(404);
        given().get("/v1/kv/" + ns + "kept").then().statusCode(200);
        given().post("/v1/lease/" + lease + "/keepalive").then().statusCode(404);
    }

    @Test
    void keepaliveExtendsALeaseBeyondItsTtl() {
        long lease = grant(3);
        given().body("x").put("/v1/kv/" + ns + "alive?lease=" + lease).then().statusCode(201);
        long until = System.nanoTime() + Duration.ofMillis(7000).toNanos(); // over twice the ttl
        while (System.nanoTime() < until) {
            given().post("/v1/lease/" + lease + "/keepalive").then().statusCode(200)
                    .body("id", equalTo((int) lease)).body("ttl", equalTo(3));
            given().get("/v1/kv/" + ns + "alive").then().statusCode(200);
            sleep(300); // the client's keep-alive cadence: the scenario, not a wait
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                given().get("/v1/kv/" + ns + "alive").statusCode() == 404);
    }

    @Test
    void aPutWithoutTheLeaseDetachesTheKey() {
        long lease = grant(60);
        given().body("1").put("/v1/kv/" + ns + "k?lease=" + lease).then().statusCode(201);
        given().body("2").put("/v1/kv/" + ns + "k").then().statusCode(200);
        given().delete("/v1/lease/" + lease).then().statusCode(200).body("deleted", equalTo(0)).body("revision", equalTo(0));
        given().get("/v1/kv/" + ns + "k").then().statusCode(200);
    }

    @Test
    void badLeasesAreProblems() {
        given().body("x").put("/v1/kv/" + ns + "k?lease=123456789").then().statusCode(404)
                .body("type", equalTo("urn:ordinal:problem:lease-not-found")).body("lease", equalTo(123456789));
        given().get("/v1/kv/" + ns + "k").then().statusCode(404);
        given().body("x").put("/v1/kv/" + ns + "k?lease=abc").then().statusCode(400);
        given().body("x").put("/v1/kv/" + ns + "k?lease=0").then().statusCode(400);
        given().body("{\"ttl\":0}").post("/v1/lease").then().statusCode(400);
        given().body("{\"ttl\":\"10\"}").post("/v1/lease").then().statusCode(400);
        given().body("{\"ttl\":10,\"id\":5}").post("/v1/lease").then().statusCode(400);
        given().body("{}").post("/v1/lease").then().statusCode(400);
        given().get("/v1/lease/-1").then().statusCode(400);
        given().post("/v1/lease/123456789/keepalive").then().statusCode(404);
        given().put("/v1/lease/1").then().statusCode(405).header("Allow", equalTo("GET, HEAD, DELETE"));
    }

    /** The distributed lock of docs/api.md: create-if-absent under a lease; the loser waits for the delete. */
    @Test
    void theLockRecipeGrantsTheLockToOneHolderAtATime() throws Exception {
        String lock = ns + "lock";
        long first = grant(30);
        long second = grant(30);
        assertThat(acquire(lock, first)).isTrue();
        assertThat(acquire(lock, second)).isFalse();
        try (SseClient sse = SseClient.open("/v1/watch?key=" + lock)) {
            given().delete("/v1/lease/" + first).then().statusCode(200); // the holder releases (or dies)
            assertThat(sse.next().data()).contains("\"type\":\"delete\"");
        }
        assertThat(acquire(lock, second)).isTrue();
    }

    private static boolean acquire(String lock, long lease) {
        return TxnApiTest.txn("{\"compare\":[{\"key\":\"" + lock + "\",\"createRevision\":0}],"
                + "\"success\":[{\"op\":\"put\",\"key\":\"" + lock + "\",\"value\":\"" + TxnApiTest.b64("me") + "\",\"lease\":" + lease + "}],"
                + "\"failure\":[{\"op\":\"get\",\"key\":\"" + lock + "\"}]}").getBoolean("succeeded");
    }

    static long grant(long ttl) {
        return given().body("{\"ttl\":" + ttl + "}").post("/v1/lease").then().statusCode(201)
                .body("ttl", equalTo((int) ttl)).extract().jsonPath().getLong("id");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
