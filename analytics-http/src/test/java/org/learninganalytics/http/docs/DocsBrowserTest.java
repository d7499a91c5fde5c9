package org.learninganalytics.http.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.http.testing.NoDatabaseServer;
import org.learninganalytics.http.testing.OpenApiContract;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * /docs in a real headless Chromium: Swagger UI loads from the jar, reads /openapi.json and
 * lists every operation. Uses the Debian {@code chromium} and {@code chromium-driver} packages
 * (Selenium Manager is not used, so nothing is downloaded). Where they are missing the test is
 * skipped with the reason, except under CI ({@code CI=true}), where .ci/run installs them and a
 * missing one fails.
 */
class DocsBrowserTest {

    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private static NoDatabaseServer server;
    private static WebDriver browser;

    @BeforeAll
    static void start() {
        Path chromium = firstExecutable(BROWSERS);
        Path chromedriver = firstExecutable(DRIVERS);
        if (chromium == null || chromedriver == null) {
            String reason = "Chromium or its driver is not installed (apt-get install chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new IllegalStateException(reason + "; .ci/run must provide it");
            Assumptions.abort(reason);
        }
        server = NoDatabaseServer.start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,2000",
                "--no-first-run", "--disable-extensions", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    @Test
    void docs_lists_every_operation_of_the_document() {
        browser.get("http://localhost:" + server.port() + "/docs");

        Set<OpenApiContract.Operation> documented = OpenApiContract.document().operations().keySet();
        List<WebElement> operations = new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> {
            List<WebElement> found = driver.findElements(By.cssSelector(".opblock .opblock-summary-path"));
            return found.size() >= documented.size() ? found : null;
        });

        Set<String> listed = new TreeSet<>();
        for (WebElement operation : operations) {
            String path = operation.getDomAttribute("data-path");
            listed.add(path != null ? path : operation.getText().replace("\u200B", ""));
        }
        assertThat(listed).contains("/v1/leaderboards/{board}", "/v1/me", "/v1/ingest/{entity}", "/openapi.json");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(documented.stream().map(OpenApiContract.Operation::path).distinct().toList());
        assertThat(browser.findElement(By.cssSelector(".info .title")).getText()).contains("Learning Analytics API");
        assertThat(browser.getPageSource()).doesNotContain("petstore");
    }

    private static Path firstExecutable(List<String> candidates) {
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }
}
