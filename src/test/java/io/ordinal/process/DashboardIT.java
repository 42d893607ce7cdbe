package io.ordinal.process;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser — Debian's headless Chromium driven through its chromedriver by
 * Selenium — against a real 3-replica cluster started by {@code bin/kv-local} on private ports: the page
 * loads without console errors and shows three replicas and one leader; a put through the key browser
 * is readable through the API; after the leader pod is deleted (SIGKILL) the page shows another leader
 * within seconds and the old one back as itself; the "pause the leader" drill works from the page; and once
 * the page is closed, the frontend asks the replicas nothing.
 * Screenshots of each state go to {@code target/dashboard-it/}.
 *
 * <p>Skipped, saying why, only when {@code chromium} or {@code chromedriver} is not installed
 * ({@code .ci/run} installs them). No browser or driver is ever downloaded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final Path SHOTS = Path.of("target/dashboard-it");
    private static final Path HOME = Path.of("target/kv-local-dashboard-it");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static KvLocal cluster;
    private static Chromium chromium;
    private static WebDriver browser;
    private static final AtomicBoolean loading = new AtomicBoolean();
    private static Thread load;

    @BeforeAll
    static void up() throws IOException {
        chromium = Chromium.start(SHOTS);
        browser = chromium.browser();
        cluster = new KvLocal(HOME);
        cluster.run("up");
        startLoad();
    }

    @AfterAll
    static void down() throws IOException {
        loading.set(false);
        try {
            if (load != null) {
                load.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (chromium != null) {
            chromium.close();
        }
        if (cluster != null) {
            keepLogs();
            cluster.close();
        }
    }

    /** The pods' logs outlive the cluster (down --purge removes them), beside the screenshots. */
    private static void keepLogs() throws IOException {
        Path logs = HOME.resolve("logs");
        if (Files.isDirectory(logs)) {
            Files.createDirectories(SHOTS.resolve("logs"));
            try (Stream<Path> files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    Files.copy(f, SHOTS.resolve("logs").resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @BeforeEach
    void open() {
        browser.get(cluster.endpoint() + "/");
        await().atMost(Duration.ofSeconds(30)).until(() -> replicaCards().size() == 3 && leaderShown().isPresent());
    }

    @AfterEach
    void noConsoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    @Test
    @Order(1)
    void thePageShowsThreeReplicasInOrdinalOrderAndExactlyOneLeader() {
        List<Card> cards = replicaCards();
        assertThat(cards).extracting(Card::pod).containsExactly("kv-store-0", "kv-store-1", "kv-store-2");
        assertThat(cards).extracting(Card::role).containsOnly("LEADER", "FOLLOWER")
                .filteredOn("LEADER"::equals).hasSize(1);
        assertThat(((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('[data-testid=frontend-card]').dataset.pod")).isEqualTo("kv-frontend-0");
        assertThat(text("[data-testid=live]")).isEqualTo("live");
        assertThat(leaderShown()).hasValueSatisfying(l -> assertThat(cards).filteredOn(c -> c.pod().equals(l))
                .extracting(Card::role).containsExactly("LEADER"));
        // Local mode: started by bin/kv-local, so the drills are there.
        assertThat(browser.findElement(By.cssSelector("[data-testid=drills]")).isDisplayed()).isTrue();
        assertThat(text("[data-testid=mode]")).contains("bin/kv-local");
        // The chart has drawn the traffic the background clients make.
        await().atMost(Duration.ofSeconds(20)).until(() -> Long.valueOf(2).compareTo((Long) ((JavascriptExecutor) browser)
                .executeScript("return document.querySelectorAll('#chart path').length")) <= 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> eventShown("watch", "Watching 3 members"));
        pause(Duration.ofSeconds(4)); // a few seconds of chart
        shot("01-three-replicas-one-leader");
    }

    @Test
    @Order(2)
    void aPutThroughTheKeyBrowserIsReadableThroughTheApi() throws Exception {
        String key = "greetings/dashboard-" + UUID.randomUUID().toString().substring(0, 8);
        String value = "Hello from a real browser ✓";
        type("[data-testid=put-key]", key);
        type("[data-testid=put-value]", value);
        browser.findElement(By.cssSelector("[data-testid=put]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> text("[data-testid=key-status]").contains("201 Created"));

        HttpResponse<byte[]> read = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.endpoint() + "/v1/kv/"
                + URLEncoder.encode(key, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(new String(read.body(), StandardCharsets.UTF_8)).isEqualTo(value);

        // The browser finds it by prefix and shows its value.
        type("[data-testid=prefix]", "greetings/");
        browser.findElement(By.cssSelector("[data-testid=search]")).click();
        By row = By.cssSelector("[data-testid=key-row][data-key='" + key + "']");
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(row).isEmpty());
        browser.findElement(row).click();
        assertThat(text("[data-testid=viewer-value]")).isEqualTo(value);
        assertThat(text("[data-testid=viewer-key]")).isEqualTo(key);
        scrollTo("[data-testid=keys]");
        shot("02-key-browser-put");
    }

    @Test
    @Order(3)
    void afterTheLeaderIsKilledThePageShowsANewLeaderWithinSecondsAndTheOldOneComesBackAsItself() {
        String leader = leaderShown().orElseThrow();
        long oldPid = cluster.pod(leader).get("pid").asLong();
        pause(Duration.ofSeconds(3)); // a steady chart before the kill, for the screenshots: the scenario

        long killed = System.nanoTime();
        cluster.run("delete-pod", leader);
        onPage(Duration.ofSeconds(10), "a leader other than " + leader,
                () -> leaderShown().filter(l -> !l.equals(leader)).isPresent());
        double seconds = (System.nanoTime() - killed) / 1e9;
        System.out.printf("DashboardIT: the page showed a new leader %.1f s after %s was killed%n", seconds, leader);
        assertThat(cardRole(leader)).isEqualTo("UNREACHABLE");
        pause(Duration.ofSeconds(2));
        shot("03-leader-killed-new-leader");

        // The StatefulSet's promise: the deleted pod comes back with its name and volume, as a new process.
        onPage(Duration.ofSeconds(120), leader + " back as a follower, told as a new process", () ->
                "FOLLOWER".equals(cardRole(leader)) && eventShown("rejoined", leader + " rejoined as itself"));
        assertThat(cluster.pod(leader).get("pid").asLong()).isNotEqualTo(oldPid);
        assertThat(cardText(leader)).contains("start #2");
        pause(Duration.ofSeconds(2));
        shot("04-old-leader-rejoined");
    }

    @Test
    @Order(4)
    void thePauseTheLeaderDrillElectsAnotherLeaderAndTheSameProcessAnswersAgain() {
        String leader = leaderShown().orElseThrow();
        long pid = cluster.pod(leader).get("pid").asLong();
        browser.findElement(By.cssSelector("[data-testid=drill-pause-leader]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> text("[data-testid=drill-result]").contains("paused"));
        onPage(Duration.ofSeconds(20), "a leader other than the paused " + leader,
                () -> leaderShown().filter(l -> !l.equals(leader)).isPresent());
        shot("05-leader-paused");
        onPage(Duration.ofSeconds(40), leader + " back as a follower, told as the same process", () ->
                "FOLLOWER".equals(cardRole(leader)) && eventShown("rejoined", leader + " answers again: the same process"));
        assertThat(cluster.pod(leader).get("pid").asLong()).isEqualTo(pid);
        pause(Duration.ofSeconds(2));
        shot("06-paused-leader-answers-again");
    }

    @Test
    @Order(5)
    void nobodyWatchingTheFrontendAsksTheReplicasNothing() throws Exception {
        String replica = cluster.pod("kv-store-0").get("http").asText(); // status asks /v1/replica: before counting
        pause(Duration.ofSeconds(3));
        long watched = replicaReportsServed(replica);
        pause(Duration.ofSeconds(4));
        assertThat(replicaReportsServed(replica)).as("/v1/replica asked while a page watches").isGreaterThan(watched);

        browser.get("about:blank"); // the page closes its stream: the last watcher is gone
        // The frontend learns that the stream closed when its next write to it fails (within about a
        // second, longer on a loaded machine); from then on it must ask nothing: five quiet seconds in a row.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long before;
        long after;
        do {
            before = replicaReportsServed(replica);
            pause(Duration.ofSeconds(5));
            after = replicaReportsServed(replica);
        } while (after != before && System.nanoTime() < deadline);
        assertThat(after).as("/v1/replica asked while nobody watches, 5 s in a row").isEqualTo(before);
    }

    /** How many times a replica has answered {@code /v1/replica}, from its request metrics. */
    private static long replicaReportsServed(String replicaHttp) throws IOException, InterruptedException {
        String scrape = HTTP.send(HttpRequest.newBuilder(URI.create(replicaHttp + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return scrape.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{") && l.contains("uri=\"/v1/replica\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    // --- the page, read in one script each time: the cards are redrawn every second, so element handles go stale

    /** Every replica card, in page order: pod, role and text. */
    @SuppressWarnings("unchecked")
    private static List<Card> replicaCards() {
        List<List<String>> cards = (List<List<String>>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('[data-testid=replica-card]')]"
                        + ".map(c => [c.dataset.pod, c.dataset.role, c.innerText])");
        return cards.stream().map(c -> new Card(c.get(0), c.get(1), c.get(2))).toList();
    }

    record Card(String pod, String role, String text) {
    }

    /** The leader the page names in its header, when exactly one card is the leader's too. */
    private static Optional<String> leaderShown() {
        Object name = ((JavascriptExecutor) browser).executeScript(
                "const l = document.querySelector('[data-testid=leader]'); return l ? l.textContent : null");
        long leaders = replicaCards().stream().filter(c -> "LEADER".equals(c.role())).count();
        return name instanceof String n && n.startsWith("kv-store-") && leaders == 1 ? Optional.of(n) : Optional.empty();
    }

    private static String cardRole(String pod) {
        return replicaCards().stream().filter(c -> c.pod().equals(pod)).map(Card::role).findFirst().orElse(null);
    }

    private static String cardText(String pod) {
        return replicaCards().stream().filter(c -> c.pod().equals(pod)).map(Card::text).findFirst().orElse("");
    }

    private static boolean eventShown(String kind, String text) {
        Object found = ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('[data-testid=event]')]"
                        + ".some(e => e.dataset.kind === arguments[0] && e.textContent.includes(arguments[1]))", kind, text);
        return Boolean.TRUE.equals(found);
    }

    /** Waits for the page to show something; if it never does, saves what it shows instead and says so. */
    private static void onPage(Duration atMost, String what, java.util.concurrent.Callable<Boolean> shown) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(shown);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String name = "failed-" + what.replaceAll("[^A-Za-z0-9]+", "-");
            shot(name);
            Object events = ((JavascriptExecutor) browser).executeScript(
                    "return [...document.querySelectorAll('[data-testid=event]')].map(e => e.innerText).join('\\n')");
            throw new AssertionError("the page did not show " + what + " within " + atMost.toSeconds() + " s (see "
                    + SHOTS.resolve(name + ".png") + ");\ncards: " + replicaCards() + "\nevents:\n" + events, e);
        }
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static void type(String css, String text) {
        WebElement field = browser.findElement(By.cssSelector(css));
        field.clear();
        field.sendKeys(text);
    }

    private static void scrollTo(String css) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})",
                browser.findElement(By.cssSelector(css)));
    }

    private static void shot(String name) {
        try {
            Files.write(SHOTS.resolve(name + ".png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new AssertionError("cannot save the screenshot " + name, e);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- the rest of the world

    /** Writes and reads through the frontend, about 25 of each a second, so that the chart has something to show. */
    private static void startLoad() {
        loading.set(true);
        load = new Thread(() -> {
            long end = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            for (int i = 0; loading.get() && System.nanoTime() < end; i++) {
                String key = cluster.endpoint() + "/v1/kv/load/" + (i % 100);
                send(HttpRequest.newBuilder(URI.create(key)).PUT(HttpRequest.BodyPublishers.ofString("v" + i)));
                send(HttpRequest.newBuilder(URI.create(key)).GET());
                pause(Duration.ofMillis(40));
            }
        }, "dashboard-it-load");
        load.setDaemon(true);
        load.start();
    }

    private static void send(HttpRequest.Builder request) {
        try {
            HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // a failover or a restart: the chart shows it; carry on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
