package io.ordinal.process;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium driven through its chromedriver by Selenium, for the dashboard's browser
 * tests; a test that needs it is skipped, saying why, when either is not installed ({@code .ci/run}
 * installs them). No browser or driver is ever downloaded.
 */
record Chromium(ChromeDriverService service, WebDriver browser, Path profile) implements AutoCloseable {

    private static final java.util.logging.Logger CDP_VERSION_FINDER =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    /** A browser with a fresh profile; {@code shots} (made if need be) gets chromedriver's log. */
    static Chromium start(Path shots) throws IOException {
        Optional<Path> chromium = executable("CHROMIUM", "chromium", "chromium-browser");
        Optional<Path> driver = executable("CHROMEDRIVER", "chromedriver");
        assumeTrue(chromium.isPresent() && driver.isPresent(), "the dashboard's browser tests need Debian's chromium and"
                + " chromium-driver (apt-get install -y chromium chromium-driver; .ci/run installs them): not found"
                + " on the PATH (or in $CHROMIUM / $CHROMEDRIVER)");
        Files.createDirectories(shots);
        // Selenium looks for a DevTools binding of this Chromium's version, which these tests do not use.
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
        Path profile = Files.createTempDirectory("dashboard-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1440,1200",
                // A page left for about:blank must really be gone, its event stream closed: not kept,
                // frozen with its connections open, in the back/forward cache.
                "--disable-features=BackForwardCache");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort().withLogFile(shots.resolve("chromedriver.log").toFile()).build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return new Chromium(service, browser, profile);
    }

    @Override
    public void close() throws IOException {
        browser.quit();
        service.stop();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
        }
    }

    /** $VAR if it names an executable, else the first of the names on the PATH. */
    private static Optional<Path> executable(String variable, String... names) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
