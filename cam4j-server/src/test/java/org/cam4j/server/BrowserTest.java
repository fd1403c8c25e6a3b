package org.cam4j.server;

import static org.cam4j.server.Fixtures.decode;
import static org.cam4j.server.Fixtures.decodeBase64;
import static org.cam4j.server.Fixtures.meanDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: the system's headless Chromium driven by the system's
 * ChromeDriver (nothing is downloaded). Uploads cat.png, checks the top-1 label and that the
 * overlay differs from the photo, changes the layer and sees the overlay change, and saves a
 * screenshot to {@code target/browser/}. Fails (is never skipped) when Chromium or ChromeDriver
 * is missing.
 */
class BrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static Cam4jServer server;
  private static WebDriver driver;
  private static Path profile;

  @BeforeAll
  static void start() throws IOException {
    List<Path> missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p))
        .toList();
    if (!missing.isEmpty()) {
      fail("the browser test needs the system Chromium and ChromeDriver, missing: " + missing
          + "; install them with: apt-get install -y chromium chromium-driver"
          + " (.ci/run does this)");
    }
    server = Cam4jServer.start(ServerConfig.builder().port(0).build(), Fixtures.registry());
    profile = Files.createTempDirectory("cam4j-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-quic", "--no-first-run",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--window-size=1400,1100");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1400, 1100));
  }

  @AfterAll
  static void stop() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private static WebDriverWait waiting() {
    // no practical limit: each wait ends when the page reaches the state it waits for, so a
    // slow machine cannot fail the test (the 100 ms only paces the polling)
    return new WebDriverWait(driver, Duration.ofDays(1), Duration.ofMillis(100));
  }

  private static String explains() {
    return driver.findElement(By.tagName("body")).getDomAttribute("data-explains");
  }

  /** Waits for the next explanation to be shown, then for the page to be idle. */
  private static void awaitExplanation(int count) {
    waiting().withMessage(() -> "explanation " + count + " never came; error box: "
        + driver.findElement(By.id("error")).getText())
        .until(d -> String.valueOf(count).equals(explains())
            && "idle".equals(d.findElement(By.tagName("body")).getDomAttribute("data-state")));
  }

  private static BufferedImage overlay() {
    String src = driver.findElement(By.id("overlay")).getDomProperty("src");
    assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, 40));
    return decodeBase64(src.substring("data:image/png;base64,".length()));
  }

  @Test
  void uploadExplainChangeLayerAndScreenshot() throws IOException {
    driver.get(server.url());
    waiting().withMessage("the page never loaded its models")
        .until(d -> "idle".equals(d.findElement(By.tagName("body"))
            .getDomAttribute("data-state")));
    Select layers = new Select(driver.findElement(By.id("layer")));
    String marked = layers.getFirstSelectedOption().getText();
    assertTrue(marked.contains("(default)"), "the default layer is marked and chosen: " + marked);
    assertTrue(new Select(driver.findElement(By.id("method"))).getOptions().size() >= 6);

    Path cat = Fixtures.shared("images/cat.png");
    driver.findElement(By.id("file")).sendKeys(cat.toAbsolutePath().toString());
    awaitExplanation(1);

    WebElement top1 = driver.findElement(By.cssSelector("#predictions li:first-child .label"));
    assertEquals("Egyptian cat", top1.getText());
    assertEquals("Egyptian cat", driver.findElement(By.id("target-label")).getText());
    assertEquals(5, driver.findElements(By.cssSelector("#predictions li")).size());
    BufferedImage photo = decode(Fixtures.cat());
    BufferedImage first = overlay();
    double vsPhoto = meanDifference(first, photo);
    assertTrue(vsPhoto > 10, "the overlay's pixels differ from the photo's: " + vsPhoto);

    // another layer: the map changes
    String early = layers.getOptions().stream().filter(o -> o.getText().startsWith("▸"))
        .reduce((a, b) -> b).orElseThrow().getDomAttribute("value");
    layers.selectByValue(early);
    awaitExplanation(2);
    BufferedImage second = overlay();
    double vsFirst = meanDifference(second, first);
    assertTrue(vsFirst > 1, "changing the layer changes the overlay: " + vsFirst);
    assertTrue(driver.findElement(By.id("caption")).getText().contains(early));

    // the layers view shows every block output side by side
    driver.findElement(By.id("layers-toggle")).click();
    waiting().until(d -> "ready".equals(d.findElement(By.id("layers-view"))
        .getDomAttribute("data-state")));
    assertTrue(driver.findElement(By.id("layers-strip")).getDomProperty("naturalWidth")
        .matches("\\d{4,}"), "a wide strip of tiles");
    assertFalse(driver.findElement(By.id("downloads")).getDomProperty("hidden").equals("true"));

    Path shots = Path.of("target", "browser");
    Files.createDirectories(shots);
    Path shot = shots.resolve("cam4j-page.png");
    Files.write(shot, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
    assertTrue(Files.size(shot) > 10_000);

    // clicking a prediction explains that class
    driver.findElement(By.cssSelector("#predictions li:nth-child(2) button")).click();
    awaitExplanation(3);
    assertEquals("tabby", driver.findElement(By.id("target-label")).getText());
  }
}
