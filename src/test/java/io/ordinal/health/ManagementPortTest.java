package io.ordinal.health;

import io.ordinal.config.OrdinalConfig;
import io.ordinal.process.FreePorts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

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

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SwitchedReadiness.class);
        }
    }

    /** A readiness check this test can turn down: a bean of this profile only (an alternative). */
    @Alternative
    @Readiness
    @ApplicationScoped
    public static class SwitchedReadiness implements HealthCheck {
        static volatile boolean up = true;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("switched").status(up).build();
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
    void aCheckThatIsDownIs503ThereAsOnTheApiPort() {
        SwitchedReadiness.up = false;
        try {
            for (RequestSpecification port : List.of(given(), management())) {
                port.get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
                port.get("/q/health").then().statusCode(503).body("status", equalTo("DOWN"));
                port.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            }
        } finally {
            SwitchedReadiness.up = true;
        }
        management().get("/q/health/ready").then().statusCode(200);
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
