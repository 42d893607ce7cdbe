package io.ordinal.health;

import io.ordinal.config.OrdinalConfig;
import io.ordinal.process.FreePorts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * With {@code ordinal.management.port} set, health and metrics answer there too, in plain HTTP, as on
 * the API port; nothing else does: the API is never served on it.
 */
@QuarkusTest
@TestProfile(ManagementPortTest.WithManagementPort.class)
class ManagementPortTest {

    public static class WithManagementPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ordinal.management.port", Integer.toString(FreePorts.one()));
        }
    }

    @Inject
    OrdinalConfig config;

    private RequestSpecification management() {
        return given().baseUri("http://127.0.0.1").port(config.management().port().getAsInt());
    }

    @Test
    void everyHealthEndpointAnswersAsOnTheApiPort() {
        for (String path : new String[] {"/q/health", "/q/health/live", "/q/health/ready", "/q/health/started"}) {
            String onApi = given().get(path).then().statusCode(200).extract().path("checks.name").toString();
            management().get(path).then().statusCode(200)
                    .contentType("application/json")
                    .header("Cache-Control", "no-store")
                    .body("status", equalTo("UP"));
            String onManagement = management().get(path).then().extract().path("checks.name").toString();
            assertThat(onManagement).as(path).isEqualTo(onApi);
        }
    }

    @Test
    void metricsAreThePrometheusScrapeOfTheApiPortsRegistry() {
        given().body("x").put("/v1/kv/management-port-metrics").then().statusCode(org.hamcrest.Matchers.anyOf(
                equalTo(200), equalTo(201)));
        management().get("/q/metrics").then().statusCode(200)
                .contentType(startsWith("text/plain"))
                .body(containsString("ordinal_raft_term"))
                .body(containsString("ordinal_raft_applied_index"))
                // The API port's requests, counted by the same registry.
                .body(containsString("uri=\"/v1/kv/{key}\""));
    }

    @Test
    void theApiTheDashboardAndEverythingElseAreNotServedThere() {
        for (String path : new String[] {"/v1/kv/x", "/v1/kv", "/v1/cluster", "/v1/replica", "/", "/q/openapi",
                "/q/health/nothing", "/q/metricsx"}) {
            management().get(path).then().statusCode(404).body(emptyString());
        }
        management().body("x").put("/v1/kv/management-port-write").then().statusCode(404);
        management().body("x").post("/q/health/live").then().statusCode(404);
        given().get("/v1/kv/management-port-write").then().statusCode(404);
    }
}
