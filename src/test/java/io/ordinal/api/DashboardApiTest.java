package io.ordinal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

/** The dashboard's page, its state stream and its drills (off here: no bin/kv-local started this node). */
@QuarkusTest
class DashboardApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v1/dashboard/events")
    URI events;

    @Test
    void thePageAndItsModulesAreServedAtTheRoot() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<title>Ordinal"))
                .body(containsString("/dashboard/app.js"));
        for (String module : new String[] {"app.js", "cards.js", "chart.js", "dom.js", "drills.js", "events.js", "keys.js"}) {
            given().get("/dashboard/" + module).then().statusCode(200).contentType(containsString("javascript"));
        }
        given().get("/dashboard/style.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get("/dashboard/favicon.svg").then().statusCode(200);
    }

    @Test
    void theStreamSaysHelloThenShowsTheGroupAndWhatItSaw() throws Exception {
        Map<String, JsonNode> first = firstOfEach(events, 20, "hello", "state", "traffic", "event");

        JsonNode hello = first.get("hello");
        assertThat(hello.path("frontend").path("role").asText()).isEqualTo("all-in-one");
        assertThat(hello.path("frontend").path("mode").asText()).isEqualTo("standalone");
        assertThat(hello.path("drills").size()).isZero();
        assertThat(hello.path("serverTime").asLong()).isPositive();

        JsonNode state = first.get("state");
        assertThat(state.path("leader").asText()).isEqualTo("kv-store-0");
        JsonNode replica = state.path("replicas").get(0);
        assertThat(replica.path("role").asText()).isEqualTo("LEADER");
        assertThat(replica.path("lag").asLong()).isZero();
        // This process's own replica reports itself in-process.
        assertThat(replica.path("report").path("starts").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(replica.path("report").path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());

        assertThat(first.get("traffic").path("watchers").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(first.get("event").path("kind").asText()).isEqualTo("watch");
    }

    @Test
    void drillsAreOffUnlessBinKvLocalStartedTheFrontend() {
        given().header("X-Ordinal-Drill", "1").post("/v1/dashboard/drills/delete-leader").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ordinal:problem:drills-disabled"))
                .body("detail", containsString("bin/kv-local"));
        // Without the page's header (a cross-site form, say) a drill is refused before anything else.
        given().post("/v1/dashboard/drills/delete-leader").then().statusCode(403)
                .body("type", equalTo("urn:ordinal:problem:drill-forbidden"));
        given().header("X-Ordinal-Drill", "1").header("Origin", "http://evil.example")
                .post("/v1/dashboard/drills/delete-leader").then().statusCode(403);
    }

    @Test
    void dashboardPathsAnswer405AndOptionsLikeEveryOther() {
        given().get("/v1/dashboard/drills/delete-leader").then().statusCode(405).header("Allow", "POST")
                .contentType("application/problem+json");
        given().options("/v1/dashboard/drills/delete-leader").then().statusCode(200).header("Allow", "POST");
        given().body("x").post("/v1/dashboard/events").then().statusCode(405).header("Allow", "GET, HEAD");
        given().options("/v1/dashboard/events").then().statusCode(200).header("Allow", "GET, HEAD");
    }

    @Test
    void aReplicaReportsItsProcessAndVolume() {
        given().get("/v1/replica").then().statusCode(200)
                .body("startedAt", greaterThan(0L))
                .body("pid", notNullValue())
                .body("starts", greaterThanOrEqualTo(1))
                .body("dataSizeBytes", greaterThanOrEqualTo(0))
                .body("snapshotIndex", greaterThanOrEqualTo(0))
                .body("snapshotsInstalled", equalTo(0));
    }

    /**
     * Reads the stream until it has seen each name once (or gives up after {@code seconds}); the first payload of
     * each, the first state with a leader.
     */
    static Map<String, JsonNode> firstOfEach(URI uri, int seconds, String... names) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(seconds)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Map<String, JsonNode> first = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            String line;
            while (first.size() < names.length && System.nanoTime() < deadline && (line = in.readLine()) != null) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:") && name != null) {
                    JsonNode data = JSON.readTree(line.substring(5));
                    // The node may still be electing itself when the stream begins: wait for a state with a leader.
                    if (!name.equals("state") || !data.path("leader").isNull()) {
                        first.putIfAbsent(name, data);
                    }
                }
            }
        }
        assertThat(first).containsKeys(names);
        return first;
    }
}
