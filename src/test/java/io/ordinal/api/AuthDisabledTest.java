package io.ordinal.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** With security off (the default) nothing asks for a token, and /v1/auth/* says that security is off. */
@QuarkusTest
class AuthDisabledTest {

    @Test
    void theAuthEndpointsSaySecurityIsOff() {
        for (String path : new String[] {"/v1/auth/whoami", "/v1/auth/roles", "/v1/auth/tokens", "/v1/auth/bindings/x"}) {
            given().get(path).then().statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("urn:ordinal:problem:security-disabled"));
        }
        given().body("{\"permissions\":[]}").put("/v1/auth/roles/r").then().statusCode(404)
                .body("type", equalTo("urn:ordinal:problem:security-disabled"));
    }

    @Test
    void noRequestNeedsAToken() {
        given().body("x").put("/v1/kv/auth-disabled/k").then().statusCode(201);
        given().header("Authorization", "Bearer nonsense").get("/v1/kv/auth-disabled/k").then().statusCode(200);
    }
}
