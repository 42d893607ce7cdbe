package io.ordinal.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;

import static io.ordinal.security.SecureApi.as;
import static io.ordinal.security.SecureApi.asRoot;
import static io.ordinal.security.SecureApi.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** security-v1.md's rules: read and readwrite on prefixes of keys, listings, watches, transactions, leases, root only. */
@QuarkusTest
@TestProfile(SecureProfile.class)
class AuthorizationApiTest {

    private static final String JSON = "application/json";

    private String tokenWith(String prefix, String access) {
        String role = unique("role");
        SecureApi.role(role, Map.of(prefix, access));
        return SecureApi.token(role);
    }

    @Test
    void readOnAPrefixReadsItsKeysButWritesNothing() {
        String ns = unique("app") + "/";
        asRoot().body("v").put("/v1/kv/" + ns + "x").then().statusCode(201);
        String reader = tokenWith(ns, "read");
        as(reader).get("/v1/kv/" + ns + "x").then().statusCode(200);
        as(reader).head("/v1/kv/" + ns + "x").then().statusCode(200);
        as(reader).body("w").put("/v1/kv/" + ns + "x").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:ordinal:problem:forbidden"))
                .body("missing.access", equalTo("readwrite")).body("missing.key", equalTo(ns + "x"));
        as(reader).delete("/v1/kv/" + ns + "x").then().statusCode(403);
        as(reader).get("/v1/kv/other").then().statusCode(403).body("missing.access", equalTo("read"));
        asRoot().get("/v1/kv/" + ns + "x").then().statusCode(200).body(equalTo("v"));
    }

    @Test
    void readwriteWritesUnderItsPrefixOnly() {
        String ns = unique("rw") + "/";
        String writer = tokenWith(ns, "readwrite");
        as(writer).body("1").put("/v1/kv/" + ns + "k").then().statusCode(201);
        as(writer).header("If-Match", "*").body("2").put("/v1/kv/" + ns + "k").then().statusCode(200);
        as(writer).delete("/v1/kv/" + ns + "k").then().statusCode(204);
        as(writer).body("1").put("/v1/kv/" + unique("elsewhere")).then().statusCode(403);
    }

    @Test
    void listingAndWatchingNeedReadOnAPrefixOfThePrefix() {
        String ns = unique("list") + "/";
        String reader = tokenWith(ns, "read");
        as(reader).get("/v1/kv?prefix=" + ns + "sub/").then().statusCode(200);
        as(reader).get("/v1/kv?prefix=" + ns).then().statusCode(200);
        as(reader).get("/v1/kv").then().statusCode(403).body("missing.prefix", equalTo(""));
        as(reader).get("/v1/kv?prefix=" + ns.substring(0, 3)).then().statusCode(403);
        as(reader).get("/v1/watch?prefix=").then().statusCode(403);
        as(reader).get("/v1/watch?key=elsewhere").then().statusCode(403);
        as(reader).head("/v1/watch?prefix=" + ns + "sub").then().statusCode(200).contentType("text/event-stream");
        as(reader).head("/v1/watch?key=" + ns + "k").then().statusCode(200);
        String all = tokenWith("", "read");
        as(all).get("/v1/kv").then().statusCode(200);
    }

    @Test
    void aTransactionIsCheckedWholeBeforeAnythingIsApplied() {
        String ns = unique("txn") + "/";
        String writer = tokenWith(ns, "readwrite");
        String put = "{\"op\":\"put\",\"key\":\"" + ns + "a\",\"value\":\"" + b64("1") + "\"}";
        String outside = "{\"op\":\"put\",\"key\":\"outside/a\",\"value\":\"" + b64("1") + "\"}";
        as(writer).contentType(JSON).body("{\"success\":[" + put + "," + outside + "]}").post("/v1/txn")
                .then().statusCode(403).body("missing.key", equalTo("outside/a"));
        asRoot().get("/v1/kv/" + ns + "a").then().statusCode(404);
        as(writer).contentType(JSON).body("{\"compare\":[{\"key\":\"secret\",\"exists\":true}],\"success\":[" + put + "]}")
                .post("/v1/txn").then().statusCode(403).body("missing.access", equalTo("read"));
        as(writer).contentType(JSON).body("{\"failure\":[{\"op\":\"deletePrefix\",\"prefix\":\"\"}]}")
                .post("/v1/txn").then().statusCode(403).body("missing.prefix", equalTo(""));
        as(writer).contentType(JSON).body("{\"success\":[" + put + "]}").post("/v1/txn").then().statusCode(200);
    }

    @Test
    void leasesNeedATokenToGrantAndWriteAccessToAttachOrRevoke() {
        String ns = unique("lease") + "/";
        String writer = tokenWith(ns, "readwrite");
        String nobody = SecureApi.token();
        long lease = ((Number) as(nobody).body("{\"ttl\":60}").post("/v1/lease").then().statusCode(201)
                .extract().path("id")).longValue();
        as(nobody).post("/v1/lease/" + lease + "/keepalive").then().statusCode(200);
        as(nobody).body("x").put("/v1/kv/" + ns + "k?lease=" + lease).then().statusCode(403);
        as(writer).body("x").put("/v1/kv/" + ns + "k?lease=" + lease).then().statusCode(201);
        as(nobody).delete("/v1/lease/" + lease).then().statusCode(403);
        asRoot().get("/v1/kv/" + ns + "k").then().statusCode(200);
        as(writer).delete("/v1/lease/" + lease).then().statusCode(200).body("deleted", equalTo(1));
    }

    @Test
    void onlyRootTransfersLeadershipOrRunsDrills() {
        String token = tokenWith("", "readwrite");
        as(token).contentType(JSON).body("{\"target\":\"x\"}").post("/v1/cluster/leader").then().statusCode(403);
        as(token).post("/v1/dashboard/drills/delete-leader").then().statusCode(403);
        as(token).get("/v1/cluster").then().statusCode(200);
    }

    @Test
    void theAccessRecordsAreNeverListedOrWatchedAsKeys() {
        asRoot().get("/v1/kv?keysOnly=true&limit=1000").then().statusCode(200)
                .body("items.key", not(hasItem(org.hamcrest.Matchers.startsWith("\u00ff"))))
                .body("items.key", not(hasItem(org.hamcrest.Matchers.containsString("auth/"))));
    }

    @Test
    void aDeletedRoleGrantsNothingAnyMore() {
        String ns = unique("gone") + "/";
        String role = unique("role");
        SecureApi.role(role, Map.of(ns, "read"));
        String token = SecureApi.token(role);
        as(token).get("/v1/kv?prefix=" + ns).then().statusCode(200);
        asRoot().delete("/v1/auth/roles/" + role).then().statusCode(204);
        as(token).get("/v1/kv?prefix=" + ns).then().statusCode(403);
    }

    @Test
    void aServiceAccountJwtHoldsTheRolesOfItsSubjectsBindings() {
        String ns = unique("team-a") + "/";
        String subject = "system:serviceaccount:" + unique("team-a") + ":api";
        String jwt = SecureApi.jwt(subject);
        as(jwt).get("/v1/auth/whoami").then().statusCode(200).body("subject", equalTo(subject))
                .body("roles", org.hamcrest.Matchers.empty());
        as(jwt).body("x").put("/v1/kv/" + ns + "k").then().statusCode(403);
        String role = unique("role");
        SecureApi.role(role, Map.of(ns, "readwrite"));
        asRoot().contentType(JSON).body(Map.of("subject", subject, "roles", java.util.List.of(role)))
                .put("/v1/auth/bindings/" + unique("binding")).then().statusCode(201);
        as(jwt).body("x").put("/v1/kv/" + ns + "k").then().statusCode(201);
        as(jwt).contentType(JSON).body("{\"success\":[{\"op\":\"get\",\"key\":\"" + ns + "k\"}]}").post("/v1/txn")
                .then().statusCode(200);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes());
    }
}
