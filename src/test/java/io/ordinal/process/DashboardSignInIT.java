package io.ordinal.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.dashboard.ClusterView;
import io.ordinal.dashboard.DashboardFeed;
import io.ordinal.dashboard.Frontend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard page with security on, in headless Chromium: the page itself (the real index.html and
 * modules) from a stand-in frontend on loopback whose {@code /v1/dashboard/events} and {@code /v1/kv}
 * answer 401 unless the bearer token is the one it accepts. Without a token the page shows the sign-in
 * form and nothing of the cluster; a wrong token brings the form back saying it was refused; the right one
 * shows the cluster and goes with every call, the event stream's reconnections included; a token revoked
 * meanwhile locks the page again. Screenshots go to {@code target/dashboard-signin-it/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardSignInIT {

    private static final Path SHOTS = Path.of("target/dashboard-signin-it");
    private static final String TOKEN = "0123456789abcdef.tokenSecretTokenSecretTokenSecretTokenSecret0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final AtomicReference<String> accepted = new AtomicReference<>(TOKEN);
    private static final Queue<String> streamAuthorizations = new ConcurrentLinkedQueue<>();
    private static final Queue<String> keyAuthorizations = new ConcurrentLinkedQueue<>();
    private static final Queue<HttpServerResponse> openStreams = new ConcurrentLinkedQueue<>();

    private static Chromium chromium;
    private static WebDriver browser;
    private static Vertx vertx;
    private static HttpServer frontend;

    @BeforeAll
    static void up() throws Exception {
        chromium = Chromium.start(SHOTS);
        browser = chromium.browser();
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/v1/dashboard/events").handler(DashboardSignInIT::events);
        router.get("/v1/kv").handler(c -> {
            keyAuthorizations.add(String.valueOf(c.request().getHeader("Authorization")));
            if (authorized(c)) {
                c.response().putHeader("Content-Type", "application/json").end("{\"items\":[],\"next\":null}");
            }
        });
        router.route().handler(StaticHandler.create("META-INF/resources").setCachingEnabled(false));
        frontend = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        browser.get("http://127.0.0.1:" + frontend.actualPort() + "/");
    }

    @AfterAll
    static void down() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void withoutATokenThePageAsksForOneAndShowsNothingOfTheCluster() {
        await().atMost(Duration.ofSeconds(20)).until(() -> displayed("signin"));
        assertThat(displayed("replicas")).isFalse();
        assertThat(replicaCards()).isZero();
        assertThat(streamAuthorizations).isNotEmpty().containsOnly("null");
        shot("01-sign-in");
    }

    @Test
    @Order(2)
    void aWrongTokenBringsTheFormBackSayingItWasRefused() {
        signIn("0123456789abcdef.notTheTokenNotTheTokenNotTheTokenNotTheToken");

        await().atMost(Duration.ofSeconds(20)).until(() -> displayed("signin")
                && text("signin-error").contains("That token was refused: the token is unknown"));
        assertThat(replicaCards()).isZero();
        shot("02-refused");
    }

    @Test
    @Order(3)
    void theRightTokenShowsTheClusterAndGoesWithEveryCall() {
        signIn(TOKEN);

        await().atMost(Duration.ofSeconds(20)).until(() -> replicaCards() == 3 && !displayed("signin"));
        assertThat(text("summary")).contains("kv-store-1");
        assertThat(displayed("sign-out")).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> keyAuthorizations.contains("Bearer " + TOKEN));
        assertThat(streamAuthorizations).contains("Bearer " + TOKEN);
        shot("03-signed-in");
    }

    @Test
    @Order(4)
    void theEventStreamReconnectsWithTheToken() {
        int before = streamAuthorizations.size();

        closeStreams();

        await().atMost(Duration.ofSeconds(20)).until(() -> streamAuthorizations.size() > before
                && text("live").equals("live"));
        assertThat(streamAuthorizations.stream().skip(before)).containsOnly("Bearer " + TOKEN);
        assertThat(replicaCards()).isEqualTo(3);
    }

    @Test
    @Order(5)
    void aTokenRevokedMeanwhileLocksThePageAgain() {
        accepted.set("another");

        closeStreams();

        await().atMost(Duration.ofSeconds(20)).until(() -> displayed("signin")
                && text("signin-error").contains("That token was refused"));
        assertThat(displayed("replicas")).isFalse();
        assertThat(replicaCards()).isZero();
        shot("04-revoked");
    }

    // --- the stand-in frontend

    private static void events(RoutingContext c) {
        streamAuthorizations.add(String.valueOf(c.request().getHeader("Authorization")));
        if (!authorized(c)) {
            return;
        }
        long now = System.currentTimeMillis();
        ClusterView state = new ClusterView(now, "kv-store-1", 3, List.of(
                new ClusterView.Replica("kv-store-0", "127.0.0.1:9870", "FOLLOWER", 10, 10, 0L, null),
                new ClusterView.Replica("kv-store-1", "127.0.0.1:9871", "LEADER", 10, 10, 0L, null),
                new ClusterView.Replica("kv-store-2", "127.0.0.1:9872", "FOLLOWER", 10, 10, 0L, null)));
        DashboardFeed.Hello hello = new DashboardFeed.Hello(new Frontend("kv-frontend-0", "frontend", "standalone",
                now - 60_000, 4242), List.of(), 5000, 1000, now, state, List.of(), List.of());
        HttpServerResponse response = c.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
        // One message in two writes, split inside a line: the page must put it back together.
        String first = "retry: 1000\nevent: hello\ndata: " + json(hello) + "\n\n";
        response.write(first.substring(0, first.length() / 2));
        response.write(first.substring(first.length() / 2) + ": a comment\n\nevent: state\ndata: " + json(state) + "\n\n");
        openStreams.add(response);
    }

    /** Answers 401 as the API does, unless the request carries the accepted token. */
    private static boolean authorized(RoutingContext c) {
        if (("Bearer " + accepted.get()).equals(c.request().getHeader("Authorization"))) {
            return true;
        }
        c.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                .putHeader("Content-Type", "application/problem+json")
                .end("{\"type\":\"https://ordinal.io/problems/unauthenticated\",\"title\":\"Unauthorized\","
                        + "\"status\":401,\"detail\":\"the token is unknown\"}");
        return false;
    }

    private static void closeStreams() {
        for (HttpServerResponse r; (r = openStreams.poll()) != null; ) {
            HttpServerResponse response = r;
            vertx.runOnContext(v -> response.end());
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // --- the page

    private static void signIn(String token) {
        await().atMost(Duration.ofSeconds(20)).until(() -> displayed("signin"));
        browser.findElement(By.id("token")).clear();
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.cssSelector("[data-testid=sign-in]")).click();
    }

    private static boolean displayed(String id) {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
                "const e = document.getElementById(arguments[0]); return !!e && e.offsetParent !== null", id));
    }

    private static long replicaCards() {
        return (Long) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('[data-testid=replica-card]')].filter(c => c.offsetParent).length");
    }

    private static String text(String id) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript(
                "return document.getElementById(arguments[0]).textContent.trim()", id));
    }

    private static void shot(String name) {
        try {
            Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new AssertionError("cannot save the screenshot " + name, e);
        }
    }
}
