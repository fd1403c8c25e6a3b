package org.cam4j.cli;

import static org.cam4j.cli.CliProcessIT.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.cam4j.cli.CliProcessIT.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * {@code explain -r --report} on a folder with a photo, a subfolder with another and a broken
 * file, with two methods and all layers; the page is opened from disk in the system's headless
 * Chromium (no server), where every picture must have loaded and the top-1 labels must show.
 */
class ReportTest {
  private static HeadlessChromium chromium;
  private static WebDriver driver;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() throws IOException {
    chromium = new HeadlessChromium();
    driver = chromium.driver();
  }

  @AfterAll
  static void stop() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void reportShowsEveryPhotoMethodAndLayerFromDisk() throws Exception {
    Path photos = tmp.resolve("photos");
    Files.createDirectories(photos.resolve("more"));
    Files.copy(shared("images/cat.png"), photos.resolve("cat.png"));
    Files.copy(shared("images/dog.jpg"), photos.resolve("more/dog.jpg"));
    byte[] jpeg = Files.readAllBytes(shared("images/dog.jpg"));
    Files.write(photos.resolve("more/broken.jpg"), Arrays.copyOf(jpeg, 600));
    Path out = tmp.resolve("out");

    Outcome r = InProcess.withModel("explain", photos.toString(), "--recursive", "--report",
        "--all-layers", "--method", "gradcam,layercam", "--out", out.toString());
    assertEquals(3, r.code(), "the broken photo fails the run: " + r.err());
    Path index = out.resolve("index.html");
    assertTrue(r.out().contains("report: " + index), r.out());
    try (Stream<Path> files = Files.list(out)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")),
          "no temporary file left");
    }
    String dogTop1 = new ObjectMapper().readTree(out.resolve("dog_gradcam_manifest.json")
        .toFile()).at("/predictions/0/label").asText();

    driver.get(index.toUri().toString());
    List<WebElement> images = driver.findElements(By.tagName("img"));
    // two photos, and per photo and method an overlay and a layer strip; none for broken.jpg
    assertEquals(2 + 2 * 2 * 2, images.size());
    JavascriptExecutor js = (JavascriptExecutor) driver;
    for (WebElement img : images) {
      Number width = (Number) js.executeScript(
          "return arguments[0].complete ? arguments[0].naturalWidth : 0;", img);
      assertTrue(width.intValue() > 0, "not loaded: " + img.getDomProperty("src"));
      assertTrue(img.getDomProperty("src").startsWith("file:"), img.getDomProperty("src"));
    }
    List<WebElement> rows = driver.findElements(By.cssSelector("tbody tr"));
    assertEquals(3, rows.size(), "one row per photo, in path order");
    assertTrue(rows.get(0).getText().contains("Egyptian cat"), rows.get(0).getText());
    assertTrue(rows.get(1).getText().contains("broken.jpg"), rows.get(1).getText());
    assertTrue(rows.get(1).getText().contains("error:"), rows.get(1).getText());
    assertTrue(rows.get(2).getText().contains(dogTop1), rows.get(2).getText());
    assertEquals(5, rows.get(0).findElements(By.cssSelector("td:nth-child(2) li")).size(),
        "top-5");
    List<WebElement> links = driver.findElements(By.cssSelector("a[href]"));
    // per photo and method: overlay, heatmap, map, manifest, strip, 11 layer overlays;
    // per row the photo
    assertEquals(3 + 2 * 2 * (5 + 11), links.size());
    for (WebElement a : links) {
      Path target = Path.of(URI.create(a.getDomProperty("href")));
      assertTrue(Files.isRegularFile(target), "link to a missing file: " + target);
    }
  }
}
