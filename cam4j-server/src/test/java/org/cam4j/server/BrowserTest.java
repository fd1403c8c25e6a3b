package org.cam4j.server;

import static org.cam4j.server.Fixtures.decode;
import static org.cam4j.server.Fixtures.decodeBase64;
import static org.cam4j.server.Fixtures.meanDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.Map;
import org.cam4j.render.Colormap;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
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
 * screenshot to {@code target/browser/}; the phone width, the empty state, recolouring in the
 * browser, stale answers, cancel and the method comparison each have a test. Fails (is never
 * skipped) when Chromium or ChromeDriver is missing.
 *
 * <p>Timing never decides an outcome: a "slow" job is a job whose finished answer the test holds
 * back in a fetch wrapper ({@link #WRAP_FETCH}) until it has checked what it wants, and every
 * wait is for a state of the page.
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

  /**
   * Wraps {@code window.fetch}: logs every request as "METHOD url" in {@code __requests}; with
   * {@code arguments[0]} true, the first explain's job is held: its finished answer (200) waits
   * until the test calls {@code __hold.open()} ({@code __hold.held} counts answers waiting).
   * The page's abort signal is not passed on, so a held answer still arrives after an abort,
   * as a late answer from the network would.
   */
  static final String WRAP_FETCH = """
      const original = window.fetch.bind(window);
      window.__requests = [];
      const hold = { armed: arguments[0], job: null, held: 0, open: null };
      const gate = new Promise((resolve) => { hold.open = resolve; });
      window.__hold = hold;
      window.fetch = async (url, opts) => {
        const o = Object.assign({}, opts || {});
        const method = o.method || 'GET';
        window.__requests.push(method + ' ' + url);
        delete o.signal;
        const r = await original(url, o);
        const body = await r.arrayBuffer();
        const path = String(url);
        if (hold.armed && hold.job === null && method === 'POST' && path.endsWith('/api/explain')) {
          hold.job = JSON.parse(new TextDecoder().decode(body)).job;
        }
        if (hold.armed && hold.job && method === 'GET' && r.status === 200
            && path.endsWith('/api/jobs/' + hold.job)) {
          hold.held += 1;
          await gate;
        }
        return new Response(body, { status: r.status, statusText: r.statusText, headers: r.headers });
      };
      """;

  private static WebDriverWait waiting() {
    // no practical limit: each wait ends when the page reaches the state it waits for, so a
    // slow machine cannot fail the test (the 100 ms only paces the polling)
    return new WebDriverWait(driver, Duration.ofDays(1), Duration.ofMillis(100));
  }

  private static String body(String attribute) {
    return driver.findElement(By.tagName("body")).getDomAttribute(attribute);
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  private static long jsLong(String script, Object... args) {
    return ((Number) js(script, args)).longValue();
  }

  /** Loads the page afresh and waits until it has its models. */
  private static void load() {
    driver.get(server.url());
    waiting().withMessage("the page never loaded its models")
        .until(d -> "idle".equals(body("data-state")));
  }

  private static void upload(String image) {
    driver.findElement(By.id("file"))
        .sendKeys(Fixtures.shared(image).toAbsolutePath().toString());
  }

  /** Waits for the next explanation to be shown, then for the page to be idle. */
  private static void awaitExplanation(int count) {
    waiting().withMessage(() -> "explanation " + count + " never came; error box: "
        + driver.findElement(By.id("error")).getText())
        .until(d -> String.valueOf(count).equals(body("data-explains"))
            && "idle".equals(body("data-state")));
  }

  /** A canvas's pixels, read back as PNG. */
  private static BufferedImage canvas(String id) {
    String url = (String) js("return document.getElementById(arguments[0]).toDataURL('image/png')",
        id);
    assertTrue(url.startsWith("data:image/png;base64,"), url.substring(0, 40));
    return decodeBase64(url.substring("data:image/png;base64,".length()));
  }

  private static BufferedImage overlay() {
    return canvas("view");
  }

  private static void chooseView(String view) {
    driver.findElement(By.cssSelector("input[name=view][value=" + view + "]")).click();
  }

  private static long apiRequests() {
    return jsLong("return window.__requests.filter(r => r.includes('/api/explain')"
        + " || r.includes('/api/jobs')).length");
  }

  private static double pageWidth() {
    return ((Number) js("return document.scrollingElement.scrollWidth")).doubleValue();
  }

  @Test
  void uploadExplainChangeLayerAndScreenshot() throws IOException {
    driver.manage().window().setSize(new Dimension(1400, 1100));
    load();
    Select layers = new Select(driver.findElement(By.id("layer")));
    String marked = layers.getFirstSelectedOption().getText();
    assertTrue(marked.contains("(default)"), "the default layer is marked and chosen: " + marked);
    assertTrue(new Select(driver.findElement(By.id("method"))).getOptions().size() >= 6);

    upload("images/cat.png");
    awaitExplanation(1);

    WebElement top1 = driver.findElement(By.cssSelector("#predictions li:first-child .label"));
    assertEquals("Egyptian cat", top1.getText());
    assertEquals("Egyptian cat", driver.findElement(By.id("target-label")).getText());
    assertEquals(5, driver.findElements(By.cssSelector("#predictions li")).size());
    assertEquals("true", driver.findElement(By.cssSelector("#predictions li:first-child button"))
        .getDomAttribute("aria-pressed"), "the class explained is marked for screen readers");
    assertEquals("false", driver.findElement(By.cssSelector("#predictions li:nth-child(2) button"))
        .getDomAttribute("aria-pressed"));
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

    // the layers view: one labelled tile per block output, full names, wrapping
    driver.findElement(By.id("layers-toggle")).click();
    awaitExplanation(3);
    waiting().until(d -> "ready".equals(d.findElement(By.id("layers-view"))
        .getDomAttribute("data-state")));
    String base = server.url().substring(0, server.url().length() - 1);
    Fixtures.Answer catalog = Fixtures.get(base, "/api/models/" + Fixtures.MODEL_ID + "/layers");
    List<String> blocks = new java.util.ArrayList<>();
    catalog.json().path("blockOutputs").forEach(n -> blocks.add(n.asText()));
    List<WebElement> captions = driver.findElements(By.cssSelector("#layer-tiles figcaption"));
    assertEquals(blocks.size(), captions.size(), "a tile per block output");
    for (int i = 0; i < blocks.size(); i++) {
      assertTrue(captions.get(i).getText().startsWith(blocks.get(i)),
          "tile " + i + " names its layer in full: " + captions.get(i).getText());
    }
    String title = driver.findElement(By.id("layers-title")).getText();
    assertTrue(title.contains("gradcam") && title.contains("Egyptian cat"), title);
    assertTrue(jsLong("return document.getElementById('layer-tiles').scrollWidth"
        + " - document.getElementById('layer-tiles').clientWidth") <= 0,
        "the tiles wrap instead of scrolling sideways");
    assertFalse(driver.findElement(By.id("downloads")).getDomProperty("hidden").equals("true"));

    Path shots = Path.of("target", "browser");
    Files.createDirectories(shots);
    Path shot = shots.resolve("cam4j-page.png");
    Files.write(shot, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
    assertTrue(Files.size(shot) > 10_000);
    js("document.getElementById('layers-view').scrollIntoView()");
    Files.write(shots.resolve("cam4j-layers.png"),
        ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));

    // clicking a prediction explains that class
    driver.findElement(By.id("layers-toggle")).click();
    driver.findElement(By.cssSelector("#predictions li:nth-child(2) button")).click();
    awaitExplanation(4);
    assertEquals("tabby", driver.findElement(By.id("target-label")).getText());
  }

  @Test
  void anInputMethodIsSentNoLayerAndHidesTheLayersView() {
    driver.manage().window().setSize(new Dimension(1400, 1100));
    load();
    upload("images/cat.png");
    awaitExplanation(1);
    Select layers = new Select(driver.findElement(By.id("layer")));
    String early = layers.getOptions().stream().filter(o -> o.getText().startsWith("▸"))
        .reduce((a, b) -> b).orElseThrow().getDomAttribute("value");
    layers.selectByValue(early);
    awaitExplanation(2);
    driver.findElement(By.id("layers-toggle")).click();
    awaitExplanation(3);
    waiting().until(d -> "ready".equals(d.findElement(By.id("layers-view"))
        .getDomAttribute("data-state")));

    // the server refuses a layer for saliency (400): the page leaves it out
    new Select(driver.findElement(By.id("method"))).selectByValue("saliency");
    awaitExplanation(4);
    assertEquals("saliency", driver.findElement(By.id("view")).getDomAttribute("data-method"));
    assertFalse(driver.findElement(By.id("error")).isDisplayed(),
        driver.findElement(By.id("error")).getText());
    assertFalse(driver.findElement(By.id("layers-view")).isDisplayed(),
        "an input method has no layers to show");
    assertFalse(driver.findElement(By.id("caption")).getText().contains(early));
  }

  @Test
  void emptyStateShowsNoPictureNorDownloadAndTheDropZoneTakesTheKeyboard() {
    driver.manage().window().setSize(new Dimension(1400, 1100));
    load();
    for (WebElement img : driver.findElements(By.tagName("img"))) {
      if (img.isDisplayed()) {
        assertFalse("0".equals(img.getDomProperty("naturalWidth")),
            "a visible picture is not broken: " + img.getDomAttribute("id"));
      }
    }
    for (String id : List.of("dl-overlay", "dl-npy", "dl-manifest", "main-figure", "view",
        "layers-view", "compare-view", "cancel", "error")) {
      assertFalse(driver.findElement(By.id(id)).isDisplayed(), id + " is hidden before a photo");
    }
    assertTrue(driver.findElement(By.id("empty")).isDisplayed());

    // Enter and Space on the drop zone open the file chooser (counted, its dialog suppressed)
    js("window.__chooser = 0; document.getElementById('file').addEventListener('click',"
        + " (e) => { window.__chooser += 1; e.preventDefault(); });");
    WebElement drop = driver.findElement(By.id("drop"));
    drop.sendKeys(Keys.ENTER);
    drop.sendKeys(Keys.SPACE);
    assertEquals(2, jsLong("return window.__chooser"));
  }

  @Test
  void phoneWidthHasNoSidewaysScrolling() throws IOException {
    ChromeDriver chrome = (ChromeDriver) driver;
    chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390,
        "height", 844, "deviceScaleFactor", 1, "mobile", true));
    try {
      load();
      assertEquals(390L, jsLong("return window.innerWidth"));
      assertTrue(pageWidth() <= 400, "empty page width at 390 px: " + pageWidth());
      upload("images/cat.png");
      awaitExplanation(1);
      assertEquals("Egyptian cat", driver.findElement(By.id("target-label")).getText());
      assertTrue(pageWidth() <= 400, "page width with a result: " + pageWidth());
      driver.findElement(By.id("layers-toggle")).click();
      awaitExplanation(2);
      waiting().until(d -> "ready".equals(d.findElement(By.id("layers-view"))
          .getDomAttribute("data-state")));
      assertTrue(pageWidth() <= 400, "page width with the layers view: " + pageWidth());
      Path shots = Path.of("target", "browser");
      Files.createDirectories(shots);
      Files.write(shots.resolve("cam4j-phone.png"), chrome.getScreenshotAs(OutputType.BYTES));
      for (String id : List.of("method", "layer", "colormap", "run")) {
        WebElement e = driver.findElement(By.id(id));
        assertTrue(e.getRect().getX() + e.getRect().getWidth() <= 390,
            id + " fits the screen: " + e.getRect());
      }
    } finally {
      chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  @Test
  void colormapOpacityAndViewChangeInTheBrowserWithoutARequest() {
    driver.manage().window().setSize(new Dimension(1400, 1100));
    load();
    js(WRAP_FETCH, false);
    upload("images/cat.png");
    awaitExplanation(1);
    long before = apiRequests();
    assertTrue(before >= 1, "the fetch log sees the explain request");

    // the heatmap view is the server's own heatmap picture (jet), pixel for pixel
    chooseView("heatmap");
    BufferedImage heat = canvas("view");
    BufferedImage serverHeat = decodeBase64((String) js("return state.last.images.heatmap"));
    assertEquals(0.0, meanDifference(heat, serverHeat), "browser and server jet agree exactly");

    // every colormap: each pixel is the server table's entry for the map's index
    byte[] indices = java.util.Base64.getDecoder()
        .decode((String) js("return state.last.map.data"));
    Select colormaps = new Select(driver.findElement(By.id("colormap")));
    for (Colormap c : Colormap.values()) {
      String name = c.name().toLowerCase(java.util.Locale.ROOT);
      colormaps.selectByValue(name);
      BufferedImage painted = canvas("view");
      int wrong = 0;
      for (int y = 0; y < painted.getHeight(); y++) {
        for (int x = 0; x < painted.getWidth(); x++) {
          int index = indices[y * painted.getWidth() + x] & 0xFF;
          if ((painted.getRGB(x, y) & 0xFFFFFF) != c.entry(index)) {
            wrong++;
          }
        }
      }
      assertEquals(0, wrong, name + ": pixels whose colour is not the server's table entry");
    }

    // overlay: opacity and colormap change the blend, on the canvas only
    colormaps.selectByValue("jet");
    chooseView("overlay");
    BufferedImage jet = canvas("view");
    BufferedImage serverOverlay = decodeBase64((String) js("return state.last.images.overlay"));
    // the same blend of the same PNG photo; 0.5 allows a rare one-level rounding difference
    double vsServer = meanDifference(jet, serverOverlay);
    assertTrue(vsServer < 0.5, "browser and server overlays agree: " + vsServer);
    colormaps.selectByValue("viridis");
    BufferedImage viridis = canvas("view");
    assertTrue(meanDifference(viridis, jet) > 5, "the colormap changes the overlay");
    js("const a = document.getElementById('alpha'); a.value = '0.9';"
        + " a.dispatchEvent(new Event('input'));");
    BufferedImage strong = canvas("view");
    assertTrue(meanDifference(strong, viridis) > 5, "the opacity changes the overlay");
    assertEquals("0.90", driver.findElement(By.id("alpha-value")).getText());
    chooseView("photo");
    assertTrue(meanDifference(canvas("view"), decode(Fixtures.cat())) < 0.5,
        "the photo view is the photo");
    assertEquals(before, apiRequests(), "no request for colormap, opacity or view");
  }

  @Test
  void aLateAnswerOfAReplacedRunIsDropped() {
    driver.manage().window().setSize(new Dimension(1400, 1100));
    load();
    js(WRAP_FETCH, true);
    upload("images/cat.png");
    waiting().withMessage("the first job's answer never came")
        .until(d -> jsLong("return window.__hold.held") == 1);
    String firstJob = (String) js("return window.__hold.job");
    assertNotNull(firstJob);

    new Select(driver.findElement(By.id("method"))).selectByValue("layercam");
    awaitExplanation(1);
    assertEquals("layercam", driver.findElement(By.id("view")).getDomAttribute("data-method"));
    assertTrue(((List<?>) js("return window.__requests")).contains("DELETE /api/jobs/"
        + firstJob), "the replaced run's job is cancelled on the server");

    js("window.__hold.open()");
    waiting().withMessage("the held answer never reached the page")
        .until(d -> "1".equals(body("data-dropped")));
    assertEquals("1", body("data-explains"), "the late answer is not shown");
    assertEquals("layercam", driver.findElement(By.id("view")).getDomAttribute("data-method"));
    assertTrue(driver.findElement(By.id("caption")).getText().startsWith("layercam"));
  }

  @Test
  void cancelStopsTheJobAndReturnsToIdle() {
    driver.manage().window().setSize(new Dimension(1400, 1100));
    load();
    js(WRAP_FETCH, true);
    upload("images/cat.png");
    waiting().until(d -> jsLong("return window.__hold.held") == 1);
    String job = (String) js("return window.__hold.job");
    assertEquals("busy", body("data-state"));
    assertTrue(driver.findElement(By.id("spinner")).isDisplayed());
    WebElement cancel = driver.findElement(By.id("cancel"));
    assertTrue(cancel.isDisplayed());

    cancel.click();
    assertEquals("idle", body("data-state"));
    assertEquals("cancelled", driver.findElement(By.id("status")).getText());
    assertFalse(cancel.isDisplayed());
    assertFalse(driver.findElement(By.id("spinner")).isDisplayed());
    assertTrue(((List<?>) js("return window.__requests")).contains("DELETE /api/jobs/" + job),
        "the job is cancelled on the server");

    js("window.__hold.open()");
    waiting().until(d -> "1".equals(body("data-dropped")));
    assertEquals("0", body("data-explains"), "the cancelled run shows nothing");
    assertTrue(driver.findElement(By.id("empty")).isDisplayed());
  }

  @Test
  void slowMethodsWaitForRunAndMethodsCompareInAGrid() throws IOException {
    driver.manage().window().setSize(new Dimension(1400, 1100));
    load();
    js(WRAP_FETCH, false);
    new Select(driver.findElement(By.id("method"))).selectByValue("scorecam");
    upload("images/cat.png");
    waiting().until(d -> d.findElement(By.id("status")).getText().startsWith("press Run"));
    assertTrue(driver.findElement(By.id("slow-hint")).isDisplayed());
    assertEquals(0, apiRequests(), "a slow method does not start by itself");

    driver.findElement(By.cssSelector("#compare-box summary")).click();
    List<String> chosen = driver.findElements(By.cssSelector("#compare-methods input:checked"))
        .stream().map(e -> e.getDomAttribute("value")).toList();
    assertEquals(List.of("gradcam", "gradcam++", "layercam"), chosen);
    driver.findElement(By.id("compare")).click();
    waiting().withMessage(() -> "no comparison; error box: "
        + driver.findElement(By.id("error")).getText())
        .until(d -> "1".equals(body("data-compares")) && "idle".equals(body("data-state")));
    List<WebElement> captions = driver.findElements(By.cssSelector("#compare-tiles figcaption"));
    assertEquals(3, captions.size());
    for (int i = 0; i < 3; i++) {
      assertTrue(captions.get(i).getText().startsWith(chosen.get(i) + " · Egyptian cat"),
          captions.get(i).getText());
    }
    assertEquals("Egyptian cat", driver.findElement(By.cssSelector(
        "#predictions li:first-child .label")).getText(), "the top-5 come with a comparison");
    js("document.getElementById('compare-view').scrollIntoView()");
    Path shots = Path.of("target", "browser");
    Files.createDirectories(shots);
    Files.write(shots.resolve("cam4j-compare.png"),
        ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
    List<?> maps = (List<?>) js("return state.compare.comparison.map(e => e.map.data)");
    assertFalse(maps.get(0).equals(maps.get(2)), "gradcam and layercam maps differ");
  }

  /**
   * The layer layout controls send the override: the caption names the layout the server used
   * (from the manifest), a grid is for tokens only, and a layout the layer's shape cannot hold
   * (tokens for MobileNet's [1,1280,7,7]) is the server's 400, shown; back to inferred it works.
   */
  @Test
  void theLayerLayoutOverrideIsSentAndTheCaptionNamesTheLayout() {
    driver.manage().window().setSize(new Dimension(1400, 1100));
    load();
    upload("images/cat.png");
    awaitExplanation(1);
    String inferred = driver.findElement(By.id("caption")).getText();
    assertTrue(inferred.contains("MobilenetV2/Conv_1/Relu6 [nchw 1280x7x7]"), inferred);
    driver.findElement(By.cssSelector("#layout-box summary")).click();
    Select layout = new Select(driver.findElement(By.id("layer-layout")));
    layout.selectByValue("nchw");
    assertFalse(driver.findElement(By.id("grid")).isEnabled(), "a grid is for tokens only");
    awaitExplanation(2);
    assertEquals(inferred, driver.findElement(By.id("caption")).getText());

    layout.selectByValue("tokens");
    waiting().until(d -> d.findElement(By.id("error")).isDisplayed());
    String error = driver.findElement(By.cssSelector("#error div")).getText();
    assertTrue(error.contains("is not tokens"), error);

    layout.selectByValue("");
    awaitExplanation(3);
    assertFalse(driver.findElement(By.id("error")).isDisplayed(),
        driver.findElement(By.id("error")).getText());
  }

  @Test
  void messagesNameNoServerFolder() {
    driver.manage().window().setSize(new Dimension(1400, 1100));
    load();
    upload("images/cat.png");
    awaitExplanation(1);
    WebElement target = driver.findElement(By.id("class"));
    target.sendKeys("no such creature");
    target.sendKeys(Keys.TAB);
    waiting().until(d -> d.findElement(By.id("error")).isDisplayed());
    String error = driver.findElement(By.cssSelector("#error div")).getText();
    assertTrue(error.contains("imagenet_labels_1001.txt"), error);
    assertFalse(error.contains(Fixtures.shared("labels").toString()), error);
    assertFalse(error.contains("/"), "no folder in: " + error);

    // the page's own guard: absolute paths lose their folders, layer names keep theirs
    assertEquals("cannot read labels.txt; closest: MobilenetV2/Conv_1/Relu6",
        js("return withoutFolders(arguments[0])",
            "cannot read /srv/models/labels.txt; closest: MobilenetV2/Conv_1/Relu6"));
    assertEquals("in 'synset.txt'", js("return withoutFolders(arguments[0])",
        "in 'C:\\models\\synset.txt'"));
  }
}
