package io.terrafield.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrafield.api.TerrafieldApplication;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dashboard in a real browser (Debian's {@code chromium} + {@code chromium-driver}, headless)
 * against the embedded runtime replaying the real Beijing slice of demo-data: the stations render
 * with categories and a titled legend, a station's fan chart has dates on its time axis, a unit and
 * a y-axis scaled to its bands, the forecast field layer toggles, the phone layout keeps the panel
 * off the map, and the effects page submits a request and shows the estimate. Screenshots go to
 * {@code target/screenshots/}. Skips when no chromium is installed, except under {@code CI=true},
 * where it fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
  /** The write key of this test's server (POST /effects needs one). */
  static final String API_KEY = "browser-test-key";

  static final ObjectMapper JSON = new ObjectMapper();
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target/screenshots");
  static final Pattern DATE =
      Pattern.compile("(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \\d{1,2} [A-Z][a-z]{2}");

  static ConfigurableApplicationContext app;
  static ChromeDriver driver;
  static String base;

  @BeforeAll
  static void startAppAndBrowser() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!"true".equals(System.getenv("CI"))) {
      assumeThat(present).as("chromium and chromium-driver are installed").isTrue();
    }
    assertThat(present).as("CI installs chromium and chromium-driver (.ci/run)").isTrue();
    app =
        SpringApplication.run(
            TerrafieldApplication.class,
            "--server.port=0",
            "--terrafield.mode=embedded",
            "--terrafield.data=" + Path.of("../demo-data").toAbsolutePath(),
            "--terrafield.store.url=jdbc:h2:mem:browser-"
                + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1",
            "--terrafield.replay.speedup=36000",
            "--terrafield.flink.checkpoint-interval=1s",
            "--terrafield.history.days=7",
            "--terrafield.security.clients.browser.key=" + API_KEY,
            "--terrafield.security.clients.browser.roles=read,write",
            "--terrafield.forecast.min-history=5d",
            "--terrafield.forecast.history-days=7",
            "--terrafield.forecast.members=4",
            "--terrafield.forecast.width=64",
            "--terrafield.forecast.epochs=3",
            "--terrafield.forecast.batch-size=256",
            "--terrafield.forecast.model-dir="
                + java.nio.file.Files.createTempDirectory("terrafield-models"));
    base = "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    // The panel is tested with a forecast: wait for the first one (7 days imported, then a fit).
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline && status != 200) {
      Thread.sleep(1000);
      status = get("/collections/pm25/position?coords=POINT(116.417%2039.929)").statusCode();
    }
    assertThat(status).as("a forecast is served").isEqualTo(200);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
    options.addArguments("--window-size=1400,900", "--lang=en-US");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  @Order(1)
  void stationsRenderWithCategoriesAndATitledLegend() {
    driver.get(base + "/");
    waitFor().until(d -> atLeast(d.findElements(By.cssSelector(".station-icon")), 12));
    @SuppressWarnings("unchecked")
    List<String> categories =
        (List<String>)
            driver.executeScript(
                "return [...document.querySelectorAll('.station-icon')]"
                    + ".map(e => e.dataset.category)");
    assertThat(categories).hasSize(12).allMatch(c -> !c.isBlank() && !c.equals("no category"));
    String legend = driver.findElement(By.id("legend")).getText();
    assertThat(legend).contains("PM2.5", "µg/m³", "Excellent", "Severely polluted");
    assertThat(driver.findElements(By.cssSelector(".place-label"))).isNotEmpty();
    // Another agency's scheme relabels the stations and the legend.
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("scheme")))
        .selectByValue("us-epa-aqi");
    waitFor()
        .until(d -> d.findElement(By.id("legend")).getText().contains("Unhealthy for Sensitive"));
  }

  @Test
  @Order(2)
  void aStationShowsAReadableFanChart() throws Exception {
    driver.get(base + "/");
    // Markers are redrawn when a station's category changes: retry a click on a replaced one.
    waitFor()
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              d.findElement(By.cssSelector(".station-icon[data-station='Dongsi']")).click();
              return true;
            });
    waitFor().until(d -> d.findElement(By.cssSelector("#station svg.fan")));
    assertThat(driver.findElement(By.id("stationName")).getText()).isEqualTo("Dongsi");
    // The panel redraws as observations arrive: read the chart in one script call.
    @SuppressWarnings("unchecked")
    Map<String, Object> fan =
        (Map<String, Object>)
            driver.executeScript(
                "const f = document.querySelector('#station svg.fan'), d = f.dataset;"
                    + " return {top: +d.top, median: +d.medianMax, q95: +d.q95Max,"
                    + " threshold: +d.threshold, first: d.first, last: d.last,"
                    + " text: f.textContent, width: f.getBoundingClientRect().width,"
                    + " dates: [...f.querySelectorAll('text.xtick')].map(t => t.textContent),"
                    + " bars: document.querySelectorAll('#station svg.pexceed rect').length}");
    // Dates on the time axis, spanning the 72 forecast hours, and the unit on the y axis.
    @SuppressWarnings("unchecked")
    List<String> dates = (List<String>) fan.get("dates");
    assertThat(dates).hasSizeGreaterThanOrEqualTo(2).allMatch(t -> DATE.matcher(t).matches());
    Duration span =
        Duration.between(
            java.time.Instant.parse((String) fan.get("first")),
            java.time.Instant.parse((String) fan.get("last")));
    assertThat(span).isEqualTo(Duration.ofHours(71));
    assertThat((String) fan.get("text")).contains("µg/m³", "threshold 75");
    // The y axis is scaled to the plotted bands: it shows the median and the threshold, and it
    // is not stretched beyond the 90 % band by the largest hours of the 97.5 % quantile.
    double top = number(fan, "top");
    assertThat(number(fan, "threshold")).isEqualTo(75);
    assertThat(top).isGreaterThanOrEqualTo(Math.max(number(fan, "median"), 75));
    assertThat(top).isLessThanOrEqualTo(Math.max(2 * number(fan, "q95"), 100));
    assertThat(number(fan, "bars")).isEqualTo(72);
    assertThat(number(fan, "width")).isGreaterThanOrEqualTo(320);
    screenshot("dashboard-desktop-station.png");
  }

  @Test
  @Order(3)
  void theForecastFieldLayerToggles() {
    WebElement toggle = driver.findElement(By.id("field"));
    toggle.click();
    // A field query computes 432 cells: slow on a busy 2-core machine.
    WebDriverWait slow = new WebDriverWait(driver, Duration.ofSeconds(120));
    slow.withMessage(() -> "field status: " + driver.findElement(By.id("fieldStatus")).getText())
        .until(d -> !d.findElements(By.cssSelector("path.field-cell")).isEmpty());
    assertThat(driver.findElement(By.id("fieldStatus")).getText()).contains("cells");
    driver.findElement(By.id("hour")).sendKeys(org.openqa.selenium.Keys.END);
    slow.until(
        d -> {
          String status = d.findElement(By.id("fieldStatus")).getText();
          return status.startsWith("+72 h:") && status.contains("cells");
        });
    screenshot("dashboard-desktop-field.png");
    toggle.click();
    waitFor().until(d -> d.findElements(By.cssSelector("path.field-cell")).isEmpty());
  }

  @Test
  @Order(4)
  void onAPhoneThePanelLeavesTheMapVisible() {
    driver.manage().window().setSize(new Dimension(390, 844));
    driver.get("about:blank");
    driver.get(base + "/#station=Dongsi");
    waitFor().until(d -> d.findElement(By.cssSelector("#station svg.fan")));
    Rectangle map = driver.findElement(By.id("map")).getRect();
    Rectangle panel = driver.findElement(By.id("panel")).getRect();
    assertThat(map.getHeight()).isGreaterThan(300);
    assertThat(panel.getY()).isGreaterThanOrEqualTo(map.getY() + map.getHeight() - 1);
    driver.executeScript("window.scrollTo(0, 0); document.getElementById('panel').scrollTop = 0");
    screenshot("dashboard-phone.png");
    driver.manage().window().setSize(new Dimension(1400, 900));
  }

  @Test
  @Order(5)
  void theEffectsPageSubmitsARequestAndShowsTheEstimate() {
    driver.get(base + "/effects.html");
    driver.findElement(By.id("example")).click();
    assertThat(driver.findElement(By.id("csvStatus")).getText()).startsWith("300 units");
    WebElement key = driver.findElement(By.id("apiKey"));
    key.clear();
    key.sendKeys(API_KEY);
    driver.findElement(By.id("submit")).click();
    WebElement estimate = waitFor().until(d -> d.findElement(By.cssSelector("#result #estimate")));
    assertThat(estimate.getText()).startsWith("ATE = ").contains("CI");
    assertThat(driver.findElements(By.cssSelector("#result svg.ci-plot"))).hasSize(1);
    assertThat(driver.findElements(By.cssSelector("#result table.balance tr"))).hasSize(3);
    assertThat(driver.findElements(By.cssSelector("#result svg.overlap"))).hasSize(1);
    assertThat(driver.findElement(By.id("history")).getText()).contains("treated → outcome");
    driver.executeScript("document.getElementById('result').scrollIntoView()");
    screenshot("effects.png");
  }

  static <T> List<T> atLeast(List<T> list, int n) {
    return list.size() >= n ? list : null;
  }

  static double number(Map<String, Object> values, String key) {
    return ((Number) values.get(key)).doubleValue();
  }

  static WebDriverWait waitFor() {
    return new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  static void screenshot(String name) {
    try {
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
