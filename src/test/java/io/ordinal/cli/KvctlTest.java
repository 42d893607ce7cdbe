package io.ordinal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every kvctl command against a running node (all-in-one), as a person would type it. */
@QuarkusTest
class KvctlTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String ns = "kvctl-" + UUID.randomUUID() + "/";

    @TempDir
    Path dir;

    /** What a run printed, and its exit status. */
    record Run(int status, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }
    }

    static Run kvctl(String... args) {
        return kvctlAt("http://localhost:" + RestAssured.port, args);
    }

    static Run kvctlAt(String endpoint, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Kvctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--endpoint", endpoint));
        all.addAll(List.of(args));
        int status = cli.execute(all.toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void putThenGetShowATableAndJson() {
        Run put = kvctl("put", ns + "a", "hello");
        assertThat(put.status()).isZero();
        assertThat(put.out()).startsWith("KEY").contains(ns + "a");
        Run get = kvctl("get", ns + "a");
        assertThat(get.out()).contains("MOD_REVISION").contains("hello");
        JsonNode json = kvctl("get", ns + "a", "-o", "json").json();
        assertThat(json.get("value").asText()).isEqualTo("aGVsbG8=");
        assertThat(json.get("modRevision").asLong()).isPositive();
    }

    @Test
    void conditionalPutsFailWith412AndExitStatus1() {
        long revision = kvctl("put", ns + "c", "1", "-o", "json").json().get("revision").asLong();
        assertThat(kvctl("put", ns + "c", "2", "--if-revision", Long.toString(revision)).status()).isZero();
        Run stale = kvctl("put", ns + "c", "3", "--if-revision", Long.toString(revision));
        assertThat(stale.status()).isEqualTo(1);
        assertThat(stale.err()).contains("412 precondition-failed");
        assertThat(kvctl("put", ns + "c", "4", "--create-only").status()).isEqualTo(1);
        assertThat(kvctl("put", ns + "new", "4", "--create-only").status()).isZero();
    }

    @Test
    void putWithTtlAttachesTheKeyToANewLease() {
        JsonNode put = kvctl("put", ns + "ttl", "x", "--ttl", "60", "-o", "json").json();
        long lease = put.get("lease").asLong();
        assertThat(lease).isPositive();
        Run show = kvctl("lease", "show", Long.toString(lease));
        assertThat(show.out()).contains(ns + "ttl").contains("60");
        Run revoke = kvctl("lease", "revoke", Long.toString(lease));
        assertThat(revoke.out()).contains("1 keys deleted");
        assertThat(kvctl("get", ns + "ttl").status()).isEqualTo(1);
    }

    @Test
    void deleteRemovesAKeyAndAnAbsentKeyIs404() {
        kvctl("put", ns + "d", "1");
        assertThat(kvctl("delete", ns + "d").out()).contains("deleted " + ns + "d");
        Run again = kvctl("delete", ns + "d");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("404 not-found");
    }

    @Test
    void listPagesThroughAPrefix() {
        for (int i = 0; i < 5; i++) {
            kvctl("put", ns + "l/" + i, "v" + i);
        }
        Run page = kvctl("list", ns + "l/", "--limit", "2");
        assertThat(page.out()).contains(ns + "l/0").contains(ns + "l/1").doesNotContain(ns + "l/2")
                .contains("(more: --after " + ns + "l/1)");
        Run all = kvctl("list", ns + "l/", "--limit", "2", "--all", "--keys-only");
        assertThat(all.out().lines().filter(l -> l.startsWith(ns)).count()).isEqualTo(5);
        JsonNode json = kvctl("list", ns + "l/", "--after", ns + "l/3", "-o", "json").json();
        assertThat(json.get("items").size()).isEqualTo(1);
    }

    @Test
    void watchPrintsChangesAsTheyHappen() throws Exception {
        Run run;
        try (CuttingProxy proxy = new CuttingProxy(RestAssured.port, Long.MAX_VALUE)) { // passes all, cuts nothing
            CompletableFuture<Run> watch = CompletableFuture.supplyAsync(() ->
                    kvctlAt(proxy.endpoint(), "watch", "--prefix", ns + "w/", "--count", "2", "-o", "json"));
            // The watch starts from now: from the revision after the one current when its answer's
            // headers were sent, so every write made after they arrived is in it.
            await().atMost(Duration.ofSeconds(30)).until(() -> proxy.answered() > 0);
            given().body("1").put("/v1/kv/" + ns + "w/a").then().statusCode(201);
            given().delete("/v1/kv/" + ns + "w/a").then().statusCode(204);
            run = watch.get(30, TimeUnit.SECONDS);
        }
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(0)).get("type").asText()).isEqualTo("put");
        assertThat(JSON.readTree(lines.get(1)).get("type").asText()).isEqualTo("delete");
        Run table = kvctl("watch", ns + "w/a", "--from-revision", JSON.readTree(lines.get(0)).get("modRevision").asText(),
                "--count", "1");
        assertThat(table.out()).contains("REVISION").contains("put").contains(ns + "w/a");
    }

    @Test
    void watchResumesLosslesslyWhenTheStreamBreaksInsideARevision() throws Exception {
        // Three 600 KiB puts in one transaction; the stream breaks after the first of its events.
        StringBuilder txn = new StringBuilder("{\"success\":[");
        for (int i = 1; i <= 3; i++) {
            String value = Base64.getEncoder().encodeToString(("v" + i + "-").repeat(200 * 1024).getBytes(StandardCharsets.UTF_8));
            txn.append(i > 1 ? "," : "").append("{\"op\":\"put\",\"key\":\"").append(ns).append("big/").append(i)
                    .append("\",\"value\":\"").append(value).append("\"}");
        }
        long revision = given().body(txn.append("]}").toString()).post("/v1/txn").then().statusCode(200)
                .extract().jsonPath().getLong("revision");
        try (CuttingProxy proxy = new CuttingProxy(RestAssured.port, 1_000_000)) {
            Run run = CompletableFuture.supplyAsync(() -> kvctlAt(proxy.endpoint(), "watch", "--prefix", ns + "big/",
                    "--from-revision", Long.toString(revision), "--count", "3", "-o", "json")).get(60, TimeUnit.SECONDS);
            assertThat(proxy.cut()).isTrue();
            List<String> keys = new ArrayList<>();
            for (String line : run.out().lines().toList()) {
                keys.add(JSON.readTree(line).get("key").asText());
            }
            assertThat(keys).containsExactly(ns + "big/1", ns + "big/2", ns + "big/3");
        }
    }

    @Test
    void txnRunsAJsonFile() throws Exception {
        Path file = dir.resolve("txn.json");
        Files.writeString(file, "{\"compare\":[{\"key\":\"" + ns + "t\",\"exists\":false}],"
                + "\"success\":[{\"op\":\"put\",\"key\":\"" + ns + "t\",\"value\":\"MQ==\"}],"
                + "\"failure\":[{\"op\":\"get\",\"key\":\"" + ns + "t\"}]}");
        Run first = kvctl("txn", file.toString());
        assertThat(first.out()).startsWith("SUCCEEDED").contains("put");
        JsonNode second = kvctl("txn", file.toString(), "-o", "json").json();
        assertThat(second.get("succeeded").asBoolean()).isFalse();
        assertThat(second.get("results").get(0).get("value").asText()).isEqualTo("MQ==");
    }

    @Test
    void leaseGrantKeepaliveAndRevoke() {
        JsonNode granted = kvctl("lease", "grant", "30", "-o", "json").json();
        String id = granted.get("id").asText();
        assertThat(kvctl("lease", "grant", "30").out()).contains("ID").contains("TTL");
        assertThat(kvctl("lease", "keepalive", id, "--once").out()).contains("lease " + id + " kept alive, ttl 30 s");
        assertThat(kvctl("lease", "revoke", id).out()).contains("lease " + id + " revoked");
        Run gone = kvctl("lease", "keepalive", id, "--once");
        assertThat(gone.status()).isEqualTo(1);
        assertThat(gone.err()).contains("404 lease-not-found");
    }

    @Test
    void clusterStatusAndLeaderTransfer() {
        assertThat(kvctl("cluster", "status").out()).contains("leader kv-store-0").contains("LEADER");
        assertThat(kvctl("cluster", "status", "-o", "json").json().get("leader").asText()).isEqualTo("kv-store-0");
        assertThat(kvctl("cluster", "leader", "kv-store-0").out()).contains("leader kv-store-0");
        Run bad = kvctl("cluster", "leader", "kv-store-9");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("400 bad-target");
    }

    @Test
    void usageErrorsExitWith2AndAnUnreachableEndpointWith1() {
        assertThat(kvctl("put").status()).isEqualTo(2);
        assertThat(kvctl("frobnicate").status()).isEqualTo(2);
        StringWriter err = new StringWriter();
        var cli = Kvctl.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute("--endpoint", "http://127.0.0.1:1", "get", "k")).isEqualTo(1);
        assertThat(err.toString()).contains("no answer from http://127.0.0.1:1");
    }
}
