package io.ordinal.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.ordinal.api.KvApiTest.put;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.nullValue;

/** GET /v1/kv: byte order, prefix, after, limit, next, keysOnly. */
@QuarkusTest
class ListApiTest {

    private final String ns = "list-" + UUID.randomUUID() + "/";

    @Test
    void keysComeInUnsignedUtf8ByteOrderWithBase64Values() {
        // U+FFFD (EF BF BD) sorts before an emoji (F0 9F 98 80) by bytes, after it in UTF-16.
        for (String k : new String[] {"\uD83D\uDE00", "\uFFFD", "b", "a", "B"}) {
            put(ns + k, "v-" + k);
        }
        JsonPath page = given().queryParam("prefix", ns).get("/v1/kv").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertThat(page.getList("items.key", String.class))
                .containsExactly(ns + "B", ns + "a", ns + "b", ns + "\uFFFD", ns + "\uD83D\uDE00");
        String a = page.getString("items[1].value");
        assertThat(new String(Base64.getDecoder().decode(a), StandardCharsets.UTF_8)).isEqualTo("v-a");
        assertThat(page.getLong("items[1].revision")).isPositive();
        assertThat(page.getString("next")).isNull();
    }

    @Test
    void afterIsExclusiveAndNextIsTheLastKeyExactlyWhenMoreFollow() {
        for (int i = 0; i < 5; i++) {
            put(ns + "k" + i, "v");
        }
        JsonPath first = page(Map.of("prefix", ns, "limit", "2"));
        assertThat(first.getList("items.key", String.class)).containsExactly(ns + "k0", ns + "k1");
        assertThat(first.getString("next")).isEqualTo(ns + "k1");

        JsonPath second = page(Map.of("prefix", ns, "limit", "2", "after", ns + "k1"));
        assertThat(second.getList("items.key", String.class)).containsExactly(ns + "k2", ns + "k3");

        // exactly full, nothing after: next is null
        JsonPath last = page(Map.of("prefix", ns, "limit", "2", "after", ns + "k2"));
        assertThat(last.getList("items.key", String.class)).containsExactly(ns + "k3", ns + "k4");
        assertThat(last.getString("next")).isNull();
        assertThat(last.getMap("")).containsKey("next");
    }

    @Test
    void pagingWithNextVisitsEveryKeyExactlyOnce() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String k = ns + String.format("p%02d", i);
            put(k, "v");
            expected.add(k);
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 20; pages++) {
            Map<String, String> q = after == null ? Map.of("prefix", ns, "limit", "5")
                    : Map.of("prefix", ns, "limit", "5", "after", after);
            JsonPath p = page(q);
            seen.addAll(p.getList("items.key", String.class));
            after = p.getString("next");
            if (after == null) {
                break;
            }
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void keysOnlyLeavesOutTheValue() {
        put(ns + "only", "secret");
        given().queryParam("prefix", ns).queryParam("keysOnly", "true").get("/v1/kv")
                .then().statusCode(200).body("items[0].value", nullValue())
                .body("items[0].key", org.hamcrest.Matchers.equalTo(ns + "only"));
        assertThat(given().queryParam("prefix", ns).queryParam("keysOnly", "true").get("/v1/kv").asString())
                .doesNotContain("\"value\"");
    }

    @Test
    void limitDefaultsTo100AndAcceptsUpTo1000() {
        for (int i = 0; i < 101; i++) {
            put(ns + String.format("l%03d", i), "v");
        }
        JsonPath dflt = page(Map.of("prefix", ns));
        assertThat(dflt.getList("items")).hasSize(100);
        assertThat(dflt.getString("next")).isEqualTo(ns + "l099");
        assertThat(page(Map.of("prefix", ns, "limit", "1000")).getList("items")).hasSize(101);
    }

    @Test
    void badLimitsAndParametersAre400() {
        for (String bad : new String[] {"0", "1001", "-1", "abc", "", "1.5"}) {
            given().queryParam("limit", bad).get("/v1/kv").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        given().queryParam("keysOnly", "yes").get("/v1/kv").then().statusCode(400);
        given().queryParam("consistency", "eventual").get("/v1/kv").then().statusCode(400);
        given().urlEncodingEnabled(false).get("/v1/kv?prefix=%FF").then().statusCode(400);
    }

    @Test
    void aParameterGivenTwiceIs400EvenWithTheSameValue() {
        put(ns + "twice", "v");
        for (String query : new String[] {"limit=1&limit=2", "limit=5&limit=5", "prefix=a&prefix=b",
                "after=a&after=", "keysOnly=true&keysOnly=false", "consistency=stale&consistency=stale"}) {
            given().urlEncodingEnabled(false).get("/v1/kv?" + query).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.equalTo("urn:ordinal:problem:bad-parameter"))
                    .body("detail", org.hamcrest.Matchers.containsString("given 2 times"));
        }
        given().urlEncodingEnabled(false).get("/v1/kv/" + ns + "twice?consistency=stale&consistency=linearizable")
                .then().statusCode(400).contentType("application/problem+json");
        // Parameters the API does not read are ignored, repeated or not.
        given().urlEncodingEnabled(false).get("/v1/kv?prefix=" + ns + "&x=1&x=2").then().statusCode(200)
                .body("items[0].key", org.hamcrest.Matchers.equalTo(ns + "twice"));
    }

    @Test
    void staleListingsWork() {
        put(ns + "s", "v");
        given().queryParam("prefix", ns).queryParam("consistency", "stale").get("/v1/kv")
                .then().statusCode(200).body("items[0].key", org.hamcrest.Matchers.equalTo(ns + "s"));
    }

    @Test
    void withoutAPrefixEveryKeyIsListed() {
        put(ns + "any", "v");
        given().queryParam("limit", "1000").get("/v1/kv").then().statusCode(200)
                .body("items.key", org.hamcrest.Matchers.hasItem(ns + "any"));
    }

    private static JsonPath page(Map<String, String> query) {
        return given().queryParams(query).get("/v1/kv").then().statusCode(200).extract().jsonPath();
    }
}
