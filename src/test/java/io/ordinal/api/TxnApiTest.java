package io.ordinal.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** {@code POST /v1/txn}: etcd's Txn over HTTP, its answers, and its limits. */
@QuarkusTest
class TxnApiTest {

    private final String ns = "txn-" + UUID.randomUUID() + "/";

    @Test
    void aTransactionWhoseComparesHoldRunsItsSuccessBranchAtOneRevision() {
        long a = put(ns + "a", "1");
        JsonPath r = txn("{\"compare\":[{\"key\":\"" + ns + "a\",\"modRevision\":" + a + "}],"
                + "\"success\":[" + putOp(ns + "a", "2") + "," + putOp(ns + "b", "3") + ",{\"op\":\"get\",\"key\":\"" + ns + "a\"},"
                + "{\"op\":\"delete\",\"key\":\"" + ns + "missing\"}],"
                + "\"failure\":[" + putOp(ns + "lost", "x") + "]}");
        assertThat(r.getBoolean("succeeded")).isTrue();
        long revision = r.getLong("revision");
        assertThat(revision).isGreaterThan(a);
        assertThat(r.getString("results[0].op")).isEqualTo("put");
        assertThat(r.getLong("results[0].revision")).isEqualTo(revision);
        assertThat(r.getLong("results[0].previousRevision")).isEqualTo(a);
        assertThat(r.getLong("results[1].previousRevision")).isZero();
        assertThat(r.getBoolean("results[2].found")).isTrue();
        assertThat(r.getString("results[2].value")).isEqualTo(b64("2"));
        assertThat(r.getLong("results[2].modRevision")).isEqualTo(revision);
        assertThat(r.getLong("results[2].createRevision")).isEqualTo(a);
        assertThat(r.getLong("results[3].deleted")).isZero();
        assertThat(given().get("/v1/kv/" + ns + "b").then().statusCode(200).extract().header("ETag"))
                .isEqualTo("\"" + revision + "\"");
        given().get("/v1/kv/" + ns + "lost").then().statusCode(404);
    }

    @Test
    void aTransactionWhoseCompareFailsRunsItsFailureBranch() {
        put(ns + "a", "1");
        JsonPath r = txn("{\"compare\":[{\"key\":\"" + ns + "a\",\"value\":\"" + b64("other") + "\"}],"
                + "\"success\":[" + putOp(ns + "won", "x") + "],"
                + "\"failure\":[{\"op\":\"get\",\"key\":\"" + ns + "a\"},{\"op\":\"get\",\"key\":\"" + ns + "none\"}]}");
        assertThat(r.getBoolean("succeeded")).isFalse();
        assertThat(r.getString("results[0].value")).isEqualTo(b64("1"));
        assertThat(r.getBoolean("results[1].found")).isFalse();
        given().get("/v1/kv/" + ns + "won").then().statusCode(404);
    }

    @Test
    void everyCompareKindAndOperatorIsUnderstood() {
        long a = put(ns + "c", "m");
        String[] holding = {
                "{\"key\":\"" + ns + "c\",\"modRevision\":" + a + "}",
                "{\"key\":\"" + ns + "c\",\"modRevision\":" + a + ",\"op\":\"!=\"}|false",
                "{\"key\":\"" + ns + "c\",\"modRevision\":" + (a + 1) + ",\"op\":\"<\"}",
                "{\"key\":\"" + ns + "c\",\"modRevision\":0,\"op\":\">\"}",
                "{\"key\":\"" + ns + "c\",\"createRevision\":" + a + "}",
                "{\"key\":\"" + ns + "absent\",\"createRevision\":0}",
                "{\"key\":\"" + ns + "c\",\"value\":\"" + b64("m") + "\"}",
                "{\"key\":\"" + ns + "c\",\"value\":\"" + b64("a") + "\",\"op\":\">\"}",
                "{\"key\":\"" + ns + "c\",\"value\":\"" + b64("z") + "\",\"op\":\"<\"}",
                "{\"key\":\"" + ns + "c\",\"exists\":true}",
                "{\"key\":\"" + ns + "absent\",\"exists\":false}",
                "{\"key\":\"" + ns + "absent\",\"exists\":true,\"op\":\"!=\"}",
                "{\"key\":\"" + ns + "absent\",\"value\":\"" + b64("x") + "\",\"op\":\"!=\"}|false",
        };
        for (String c : holding) {
            String[] parts = c.split("\\|");
            boolean expected = parts.length == 1;
            assertThat(txn("{\"compare\":[" + parts[0] + "]}").getBoolean("succeeded")).as(parts[0]).isEqualTo(expected);
        }
    }

    @Test
    void deletePrefixDeletesEveryKeyUnderItAndSaysHowMany() {
        put(ns + "p/1", "x");
        put(ns + "p/2", "x");
        put(ns + "q", "x");
        JsonPath r = txn("{\"success\":[{\"op\":\"deletePrefix\",\"prefix\":\"" + ns + "p/\"}]}");
        assertThat(r.getString("results[0].prefix")).isEqualTo(ns + "p/");
        assertThat(r.getLong("results[0].deleted")).isEqualTo(2);
        given().get("/v1/kv/" + ns + "p/1").then().statusCode(404);
        given().get("/v1/kv/" + ns + "q").then().statusCode(200);
    }

    @Test
    void ofTwoConflictingTransactionsExactlyOneSucceeds() throws Exception {
        for (int round = 0; round < 10; round++) {
            String lock = ns + "lock" + round;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String me = "owner" + i;
                Callable<Boolean> attempt = () -> {
                    go.await();
                    return txn("{\"compare\":[{\"key\":\"" + lock + "\",\"createRevision\":0}],"
                            + "\"success\":[" + putOp(lock, me) + "]}").getBoolean("succeeded");
                };
                outcomes.add(pool.submit(attempt));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : outcomes) {
                won += f.get() ? 1 : 0;
            }
            pool.shutdown();
            assertThat(won).as("round %d", round).isEqualTo(1);
        }
    }

    @Test
    void aTransactionThatWritesNothingAnswersTheCurrentRevision() {
        long a = put(ns + "a", "1");
        JsonPath r = txn("{\"compare\":[{\"key\":\"" + ns + "a\",\"exists\":false}],\"success\":[" + putOp(ns + "a", "2") + "]}");
        assertThat(r.getBoolean("succeeded")).isFalse();
        assertThat(r.getLong("revision")).isGreaterThanOrEqualTo(a);
        assertThat(r.getList("results")).isEmpty();
    }

    @Test
    void malformedTransactionsAre400WithADetail() {
        bad("", "bad-request-body");
        bad("[]", "bad-request-body");
        bad("{", "bad-json");
        bad("{\"compares\":[]}", "bad-request-body");
        bad("{\"compare\":[{\"key\":\"k\"}]}", "bad-request-body");
        bad("{\"compare\":[{\"key\":\"k\",\"modRevision\":1,\"exists\":true}]}", "bad-request-body");
        bad("{\"compare\":[{\"key\":\"k\",\"modRevision\":1,\"op\":\"~\"}]}", "bad-request-body");
        bad("{\"compare\":[{\"key\":\"k\",\"exists\":true,\"op\":\"<\"}]}", "bad-request-body");
        bad("{\"compare\":[{\"key\":\"\",\"exists\":true}]}", "bad-key");
        bad("{\"success\":[{\"op\":\"put\",\"key\":\"k\",\"value\":\"not base64!\"}]}", "bad-request-body");
        bad("{\"success\":[{\"op\":\"rename\",\"key\":\"k\"}]}", "bad-request-body");
        bad("{\"success\":[" + putOp("k", "1") + "," + putOp("k", "2") + "]}", "duplicate-key");
        bad("{\"success\":[" + putOp("p/k", "1") + ",{\"op\":\"deletePrefix\",\"prefix\":\"p/\"}]}", "duplicate-key");
        bad("{\"success\":[" + putOp("k", "1") + "],\"success\":[]}", "bad-json");
    }

    @Test
    void moreOperationsThanTheLimitAre400AndMoreBytesAre413() {
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i < 129; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"op\":\"get\",\"key\":\"k").append(i).append("\"}");
        }
        given().body("{\"success\":[" + ops + "]}").post("/v1/txn").then().statusCode(400)
                .body("type", equalTo("urn:ordinal:problem:too-many-operations")).body("limit", equalTo(128));
        String mib = Base64.getEncoder().encodeToString(new byte[1024 * 1024]);
        given().body("{\"success\":[{\"op\":\"put\",\"key\":\"" + ns + "1\",\"value\":\"" + mib + "\"},"
                        + "{\"op\":\"put\",\"key\":\"" + ns + "2\",\"value\":\"" + mib + "\"},"
                        + "{\"op\":\"put\",\"key\":\"" + ns + "3\",\"value\":\"" + mib + "\"}]}")
                .post("/v1/txn").then().statusCode(413).body("type", equalTo("urn:ordinal:problem:transaction-too-large"));
        String over = Base64.getEncoder().encodeToString(new byte[1024 * 1024 + 1]);
        given().body("{\"success\":[{\"op\":\"put\",\"key\":\"" + ns + "big\",\"value\":\"" + over + "\"}]}")
                .post("/v1/txn").then().statusCode(413).body("type", equalTo("urn:ordinal:problem:value-too-large"));
        given().get("/v1/kv/" + ns + "1").then().statusCode(404);
    }

    @Test
    void aPutUnderAnUnknownLeaseIs404AndWritesNothing() {
        given().body("{\"success\":[" + putOp(ns + "a", "1") + ",{\"op\":\"put\",\"key\":\"" + ns + "b\",\"value\":\"MQ==\",\"lease\":987654321}]}")
                .post("/v1/txn").then().statusCode(404)
                .body("type", equalTo("urn:ordinal:problem:lease-not-found")).body("lease", equalTo(987654321));
        given().get("/v1/kv/" + ns + "a").then().statusCode(404);
    }

    @Test
    void anyContentTypeIsReadAsJsonAndOtherMethodsAre405() {
        given().contentType("application/x-www-form-urlencoded").body("{\"success\":[" + putOp(ns + "f", "1") + "]}")
                .post("/v1/txn").then().statusCode(200).body("succeeded", equalTo(true))
                .body("results[0]", not(hasKey("found")));
        given().get("/v1/txn").then().statusCode(405).header("Allow", equalTo("POST"));
        given().options("/v1/txn").then().statusCode(200).header("Allow", equalTo("POST"));
    }

    private static void bad(String body, String type) {
        given().body(body).post("/v1/txn").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:ordinal:problem:" + type));
    }

    static JsonPath txn(String body) {
        return given().body(body).post("/v1/txn").then().statusCode(200).contentType("application/json")
                .extract().jsonPath();
    }

    static String putOp(String key, String value) {
        return "{\"op\":\"put\",\"key\":\"" + key + "\",\"value\":\"" + b64(value) + "\"}";
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static long put(String key, String value) {
        return given().body(value).put("/v1/kv/" + key).then().extract().jsonPath().getLong("revision");
    }
}
