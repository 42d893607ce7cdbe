package io.ordinal.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.ordinal.security.SecureApi.as;
import static io.ordinal.security.SecureApi.asRoot;
import static io.ordinal.security.SecureApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

/** Every row of security-v1.md's /v1/auth table, as root, on a security-on node. */
@QuarkusTest
@TestProfile(SecureProfile.class)
class AuthApiTest {

    private static final String JSON = "application/json";

    @Test
    void aRoleIsCreatedReplacedReadListedAndDeleted() {
        String name = unique("app-reader");
        String body = "{\"permissions\":[{\"prefix\":\"app/\",\"access\":\"read\"}]}";
        asRoot().contentType(JSON).body(body).put("/v1/auth/roles/" + name).then().statusCode(201);
        asRoot().contentType(JSON).body("{\"permissions\":[{\"prefix\":\"app/\",\"access\":\"readwrite\"}]}")
                .put("/v1/auth/roles/" + name).then().statusCode(200);
        asRoot().get("/v1/auth/roles/" + name).then().statusCode(200).body("name", equalTo(name))
                .body("permissions[0].prefix", equalTo("app/")).body("permissions[0].access", equalTo("readwrite"));
        asRoot().get("/v1/auth/roles").then().statusCode(200).body("items.name", hasItem(name));
        asRoot().delete("/v1/auth/roles/" + name).then().statusCode(204);
        asRoot().get("/v1/auth/roles/" + name).then().statusCode(404);
        asRoot().delete("/v1/auth/roles/" + name).then().statusCode(404);
    }

    @Test
    void anEmptyListOfPermissionsIsAllowed() {
        asRoot().contentType(JSON).body("{\"permissions\":[]}").put("/v1/auth/roles/" + unique("nothing"))
                .then().statusCode(201);
    }

    @Test
    void badRoleBodiesAndTheRootRoleAreRefusedWithNothingWritten() {
        String name = unique("bad");
        for (String body : List.of("{\"permissions\":[{\"prefix\":\"a/\",\"access\":\"write\"}]}",
                "{\"permissions\":[{\"prefix\":\"a/\",\"access\":\"read\",\"extra\":1}]}",
                "{\"permissions\":[],\"colour\":\"red\"}",
                "{\"permissions\":[{\"prefix\":\"a/\"}]}",
                "{\"permissions\":\"all\"}", "{}", "[]", "not json", "")) {
            asRoot().contentType(JSON).body(body).put("/v1/auth/roles/" + name).then().statusCode(400)
                    .contentType("application/problem+json");
        }
        asRoot().get("/v1/auth/roles/" + name).then().statusCode(404);
        asRoot().contentType(JSON).body("{\"permissions\":[]}").put("/v1/auth/roles/root").then().statusCode(400)
                .body("type", equalTo("urn:ordinal:problem:root-role"));
        asRoot().delete("/v1/auth/roles/root").then().statusCode(400);
    }

    @Test
    void aTokenIsShownOnceListedWithoutItsSecretAndRevoked() {
        String role = unique("ci");
        SecureApi.role(role, Map.of("ci/", "readwrite"));
        var issued = asRoot().contentType(JSON)
                .body(Map.of("roles", List.of(role), "description", "ci", "ttlSeconds", 3600))
                .post("/v1/auth/tokens").then().statusCode(201)
                .body("roles", contains(role)).body("description", equalTo("ci")).extract().jsonPath();
        String id = issued.getString("id");
        String token = issued.getString("token");
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(token).matches(id + "\\.[A-Za-z0-9_-]{43}");
        assertThat(Instant.parse(issued.getString("expiresAt"))).isBetween(Instant.now().plusSeconds(3500),
                Instant.now().plusSeconds(3700));

        var listed = asRoot().get("/v1/auth/tokens").then().statusCode(200)
                .body("items", everyItem(not(hasKey("token")))).body("items.id", hasItem(id)).extract().asString();
        assertThat(listed).doesNotContain(token).doesNotContain(token.substring(17));

        as(token).get("/v1/auth/whoami").then().statusCode(200).body("roles", contains(role));
        asRoot().delete("/v1/auth/tokens/" + id).then().statusCode(204);
        as(token).get("/v1/auth/whoami").then().statusCode(401);
        asRoot().delete("/v1/auth/tokens/" + id).then().statusCode(404);
    }

    @Test
    void aTokenWithoutTtlNeverExpiresAndOneForAnUnknownRoleIsNotIssued() {
        asRoot().contentType(JSON).body(Map.of("roles", List.of())).post("/v1/auth/tokens").then().statusCode(201)
                .body("expiresAt", nullValue()).body("description", nullValue());
        int before = asRoot().get("/v1/auth/tokens").then().extract().path("items.size()");
        asRoot().contentType(JSON).body(Map.of("roles", List.of(unique("nobody")))).post("/v1/auth/tokens")
                .then().statusCode(400).body("type", equalTo("urn:ordinal:problem:unknown-role"));
        assertThat((int) asRoot().get("/v1/auth/tokens").then().extract().path("items.size()")).isEqualTo(before);
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = asRoot().contentType(JSON).body(Map.of("roles", List.of(), "ttlSeconds", 1))
                .post("/v1/auth/tokens").then().statusCode(201).extract().path("token");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                as(token).get("/v1/auth/whoami").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                        .body("detail", containsString("expired")));
    }

    @Test
    void aBindingIsCreatedReplacedReadListedAndDeleted() {
        String role = unique("api");
        SecureApi.role(role, Map.of("team-a/", "read"));
        String name = unique("team-a-api");
        String body = "{\"subject\":\"system:serviceaccount:team-a:api\",\"roles\":[\"" + role + "\"]}";
        asRoot().contentType(JSON).body(body).put("/v1/auth/bindings/" + name).then().statusCode(201);
        asRoot().contentType(JSON).body(body).put("/v1/auth/bindings/" + name).then().statusCode(200);
        asRoot().get("/v1/auth/bindings/" + name).then().statusCode(200)
                .body("subject", equalTo("system:serviceaccount:team-a:api")).body("roles", contains(role));
        asRoot().get("/v1/auth/bindings").then().statusCode(200).body("items.name", hasItem(name));
        asRoot().contentType(JSON).body("{\"subject\":\"s\",\"roles\":[\"" + unique("nobody") + "\"]}")
                .put("/v1/auth/bindings/" + name).then().statusCode(400);
        asRoot().delete("/v1/auth/bindings/" + name).then().statusCode(204);
        asRoot().get("/v1/auth/bindings/" + name).then().statusCode(404);
        asRoot().delete("/v1/auth/bindings/" + name).then().statusCode(404);
    }

    @Test
    void whoamiAnswersRootAndATokensRolesAndPermissions() {
        asRoot().get("/v1/auth/whoami").then().statusCode(200).body("subject", equalTo("root"))
                .body("roles", contains("root")).body("permissions[0].prefix", equalTo(""))
                .body("permissions[0].access", equalTo("readwrite"));
        String role = unique("reader");
        SecureApi.role(role, Map.of("app/", "read"));
        String token = SecureApi.token(role);
        as(token).get("/v1/auth/whoami").then().statusCode(200)
                .body("subject", equalTo("token:" + token.substring(0, 16))).body("roles", contains(role))
                .body("permissions[0].prefix", equalTo("app/")).body("permissions[0].access", equalTo("read"));
    }

    @Test
    void onlyRootMayUseTheAuthEndpoints() {
        String token = SecureApi.token();
        as(token).get("/v1/auth/roles").then().statusCode(403).body("missing.role", equalTo("root"));
        as(token).contentType(JSON).body(Map.of("roles", List.of())).post("/v1/auth/tokens").then().statusCode(403);
        as(token).get("/v1/auth//roles").then().statusCode(403);
        as(token).get("/v1/%61uth/roles").then().statusCode(anyOf(equalTo(403), equalTo(404)));
        as(token).get("/v1/auth;x=1/roles").then().statusCode(403);
        as(token).get("/v1/x/../auth/tokens").then().statusCode(403);
    }
}
