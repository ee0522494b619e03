package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator dashboard in a real browser: Debian's headless Chromium, driven by Selenium through Debian's
 * chromedriver (nothing is downloaded), against catalog-service, config-service and a dump-worker on real parts. The
 * page loads with a viewer token, a dump made during the test appears in the live activity stream without a reload,
 * and a failed dump's job is listed first. Screenshots go to {@code target/dashboard-screenshots}.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 2)
class DashboardIT {

    private static final String VIEWER_TOKEN = "e2e-viewer-token-0123456789";
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    @Test
    void anOperatorWatchesTheFleetAndItsActivityLive(KafkaBroker broker, SchemaRegistryServer registry, PostgresServers servers,
            @TempDir Path work) throws Exception {
        PostgresServer home = servers.get(0);
        PostgresServer production = servers.get(1);
        try (Connection c = production.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE shop");
        }
        try (Connection c = production.connect("shop"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE orders AS SELECT g AS id, 'order ' || g AS note FROM generate_series(1, 2000) g");
        }
        Stack stack = new Stack(broker, registry, home, work, null);
        stack.createDatabase("pgsnapman_config");
        stack.createDatabase("pgsnapman_catalog");
        stack.credential("production", production.password());
        try (ServiceApps.Running config = stack.configService();
                ServiceApps.Running catalog = stack.catalogService(Map.of(
                        "pgsnapman.catalog.auth.tokens[1].name", "dashboard",
                        "pgsnapman.catalog.auth.tokens[1].role", "viewer",
                        "pgsnapman.catalog.auth.tokens[1].token", VIEWER_TOKEN));
                ServiceApps.Running worker = stack.dumpWorker("dashboard-worker");
                Browser browser = Browser.start()) {
            ApiClient api = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);
            ApiClient catalogApi = new ApiClient(catalog.baseUrl(), Stack.ADMIN_TOKEN);
            String serverId = api.post("/api/v1/servers", Map.of("name", "production", "host", production.host(),
                    "port", production.port(), "credentialRef", "production", "sslMode", "DISABLE")).body().get("id").asString();
            String shopJob = api.post("/api/v1/dump-jobs", Map.of("name", "shop-nightly", "serverId", serverId,
                    "dumpType", "FULL", "databaseName", "shop", "cron", "0 2 * * *")).body().get("id").asString();
            String ghostJob = api.post("/api/v1/dump-jobs", Map.of("name", "ghost-nightly", "serverId", serverId,
                    "dumpType", "FULL", "databaseName", "ghost", "cron", "0 3 * * *")).body().get("id").asString();
            String first = dumpNow(api, catalogApi, shopJob);

            // Given the dashboard opened with a viewer token
            WebDriver page = browser.driver();
            page.get(catalog.baseUrl() + "/dashboard/");
            page.findElement(By.id("token")).sendKeys(VIEWER_TOKEN);
            page.findElement(By.cssSelector("#login button")).click();

            // Then the fleet lists the job with its verified dump, and the stream is live
            browser.await(d -> fleetRows(d).size() == 2 && d.findElement(By.id("stream-state")).getText().equals("live"));
            assertThat(fleetRows(page)).anySatisfy(row -> assertThat(row).startsWith(shopJob + "|OK")
                    .contains("shop-nightly", "production", "SUCCEEDED", "VERIFIED").containsPattern("KiB\\s+1\\s"));
            ((JavascriptExecutor) page).executeScript("window.__sameDocument = true;");
            browser.screenshot("dashboard-fleet.png");

            // When a dump is made while the page is open
            String second = api.post("/api/v1/dump-jobs/" + shopJob + "/dump-now", null).body().get("dumpId").asString();

            // Then its start and its outcome appear in the live stream, without a reload
            browser.await(d -> activityText(d).contains(second + ": dump started")
                    && activityText(d).contains(second + ": dump SUCCEEDED"));
            assertThat(((JavascriptExecutor) page).executeScript("return window.__sameDocument === true;")).isEqualTo(true);
            assertThat(second).isNotEqualTo(first);

            // When a dump of the other job fails
            api.post("/api/v1/dump-jobs/" + ghostJob + "/dump-now", null);

            // Then that job is listed first, FAILED with pg_dump's reason, still without a reload
            browser.await(d -> fleetRows(d).get(0).startsWith(ghostJob + "|FAILED"));
            assertThat(fleetRows(page).get(0)).contains("ghost-nightly", "does not exist");
            assertThat(page.findElement(By.cssSelector("#activity li.level-ERROR")).getText()).contains("dump FAILED");
            assertThat(page.findElement(By.id("summary")).getText()).contains("2 dump jobs", "1 FAILED", "1 OK");
            browser.screenshot("dashboard-failure-first.png");

            // When the operator opens the failed job
            rowOf(page, ghostJob).click();

            // Then its dumps are listed with why the dump failed
            browser.await(d -> !d.findElements(By.cssSelector("#dumps tbody tr")).isEmpty());
            assertThat(page.findElement(By.id("detail-title")).getText()).isEqualTo("Dump job ghost-nightly on production");
            assertThat(page.findElement(By.cssSelector("#dumps tbody tr")).getText()).contains("FAILED");
            browser.screenshot("dashboard-job.png");
            assertThat(((JavascriptExecutor) page).executeScript("return window.__sameDocument === true;")).isEqualTo(true);

            // And a wrong token is refused with the API's reason
            page.navigate().refresh();
            ((JavascriptExecutor) page).executeScript("sessionStorage.clear();");
            page.navigate().refresh();
            page.findElement(By.id("token")).sendKeys("not-a-token");
            page.findElement(By.cssSelector("#login button")).click();
            browser.await(d -> d.findElement(By.id("error")).isDisplayed());
            assertThat(page.findElement(By.id("error")).getText()).contains("401").contains("unknown bearer token");
        }
    }

    private static String dumpNow(ApiClient api, ApiClient catalogApi, String jobId) {
        String dumpId = api.post("/api/v1/dump-jobs/" + jobId + "/dump-now", null).body().get("dumpId").asString();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                .until(() -> catalogApi.get("/api/v1/dumps/" + dumpId).status() == 200);
        return dumpId;
    }

    /** The fleet table's rows, read at once (the page re-renders it): "job id|row text" each. */
    @SuppressWarnings("unchecked")
    private static List<String> fleetRows(WebDriver page) {
        return (List<String>) ((JavascriptExecutor) page).executeScript(
                "return [...document.querySelectorAll('#fleet tbody tr')].map(r => r.dataset.job + '|' + r.innerText);");
    }

    private static WebElement rowOf(WebDriver page, String jobId) {
        return page.findElement(By.cssSelector("#fleet tbody tr[data-job='" + jobId + "']"));
    }

    private static String activityText(WebDriver page) {
        return page.findElement(By.id("activity")).getText();
    }

    /** Debian's Chromium, headless, through Debian's chromedriver; a fresh profile, no background traffic. */
    private record Browser(ChromeDriver driver, Path profile) implements AutoCloseable {

        static Browser start() throws Exception {
            Path profile = Files.createTempDirectory("pgsnapman-chromium-");
            ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1600,1000", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), profile);
        }

        void await(java.util.function.Function<WebDriver, Boolean> condition) {
            new WebDriverWait(driver, Duration.ofSeconds(90), Duration.ofMillis(200))
                    .ignoring(StaleElementReferenceException.class).until(condition::apply);
        }

        void screenshot(String name) throws Exception {
            Files.createDirectories(SCREENSHOTS);
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name),
                    StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void close() {
            driver.quit();
            io.pgsnapman.repository.DirectoryTrees.delete(profile);
        }
    }
}
