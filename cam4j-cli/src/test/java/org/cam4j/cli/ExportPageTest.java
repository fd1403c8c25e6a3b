package org.cam4j.cli;

import static org.cam4j.cli.CliProcessIT.shared;
import static org.cam4j.cli.ExportCommandTest.assertClose;
import static org.cam4j.cli.InProcess.cam4j;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cam4j.cli.CliProcessIT.Outcome;
import org.cam4j.image.ImageLoader;
import org.cam4j.image.PreparedImage;
import org.cam4j.image.Preprocessing;
import org.cam4j.render.Heatmap;
import org.cam4j.render.Heatmaps;
import org.cam4j.render.Overlay;
import org.cam4j.tensor.Layout;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * {@code cam4j export --html}: the page, served from localhost with onnxruntime-web 1.30.0 from
 * this module's pinned npm install ({@code package-lock.json}, installed by the build), runs the
 * export in headless Chromium (WebAssembly, one thread) and
 * <ul>
 *   <li>on the exact preprocessed tensor fed through its test hook ({@code cam4j.runTensor}),
 *       returns the class the Java ONNX Runtime returns for the same file and tensor, and a map
 *       within 1e-4 of both Java ORT's {@code cam} and the library's Grad-CAM
 *       ({@code explain --tensor}'s {@code gradcam.npy});</li>
 *   <li>on a photo chosen in its file input, makes the same input tensor as
 *       {@link Preprocessing#prepare} (squash and centre crop), shows the same top class and
 *       label, and draws the overlay cam4j draws for that map.</li>
 * </ul>
 * Tolerances: {@code cam} lies in [0, 1] and is compared within 1e-4 absolute: WebAssembly ORT
 * and the Java (native) ORT sum in float32 in different kernel orders, as the library sums in
 * double (ExportCommandTest); measured 1e-6 (MobileNetV2) and 5e-6 (resnet18).
 * {@code cam_raw} within 1e-4 of its largest magnitude, for the same reason (measured 5e-7
 * absolute). The page's preprocessing repeats cam4j's resize with the same float32 roundings,
 * so on the same 8-bit pixels it is compared within 1e-6 (4 float32 ulps at the largest input
 * magnitude, ~2.6); measured 0 for cat.png and for dog.jpg, whose pixels Chromium's JPEG
 * decoder and cam4j's decode identically (another decoder could differ by a level or two).
 */
class ExportPageTest {
  private static final Path ORT_DIST = Path.of("node_modules/onnxruntime-web/dist");
  private static final String RESNET = shared("models/random/resnet18_random.onnx").toString();
  private static final String RESNET_LAYER = "/layer4/layer4.1/relu_1/Relu_output_0";
  private static final String MOBILENET =
      shared("models/mobilenet_v2_1.0_224_dequant.onnx").toString();
  private static final String MOBILENET_LAYER = "MobilenetV2/Conv_1/Relu6";
  private static final String LABELS = shared("labels/imagenet_labels_1001.txt").toString();
  private static final long[] SHAPE = {1, 3, 224, 224};
  private static final double MAP_TOLERANCE = 1e-4;
  private static final double PREPROCESSING_TOLERANCE = 1e-6;
  /**
   * The overlays may differ where the two maps (~1e-6 apart) straddle a jet table boundary: the
   * neighbouring entry differs by at most 4.5 levels per channel (jet's steepest segment, 0.5
   * over 0.11 of the scale), 1.8 after alpha 0.4, so 2 after rounding; measured: 2 levels in
   * 0.005% to 0.008% of the pixels.
   */
  private static final int OVERLAY_LEVELS = 2;
  private static final double OVERLAY_SHARE = 1e-3;
  private static final Preprocessing CENTER_CROP = Preprocessing.TORCH.toBuilder()
      .resizeMode(Preprocessing.ResizeMode.CENTER_CROP).build();

  @TempDir
  static Path site;
  private static HttpServer server;
  private static HeadlessChromium chromium;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() throws IOException {
    if (!Files.isRegularFile(ORT_DIST.resolve("ort.wasm.min.js"))) {
      fail("onnxruntime-web is not installed in " + ORT_DIST.toAbsolutePath() + ": the build"
          + " installs it with 'npm ci' (package-lock.json) before the tests; run the tests"
          + " through Maven, with npm (Node.js 20+) on the PATH");
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ExportPageTest::serve);
    server.start();
    chromium = new HeadlessChromium();
  }

  @AfterAll
  static void stop() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  /** {@code /ort/*} from the npm install, anything else from {@code site}. */
  private static void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Path file = path.startsWith("/ort/") ? ORT_DIST.resolve(path.substring(5))
        : site.resolve(path.substring(1));
    try (exchange) {
      if (path.contains("..") || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String name = file.getFileName().toString();
      String type = name.endsWith(".html") ? "text/html; charset=utf-8"
          : name.endsWith(".js") || name.endsWith(".mjs") ? "text/javascript"
          : name.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(200, Files.size(file));
      try (OutputStream out = exchange.getResponseBody()) {
        Files.copy(file, out);
      }
    }
  }

  /** Exports into {@code site/name/}, with the page, and opens the page once the model loaded. */
  private static Path exportAndOpen(String name, String model, String... options)
      throws IOException {
    Path dir = Files.createDirectories(site.resolve(name));
    Path out = dir.resolve(name + "_cam.onnx");
    List<String> args = new ArrayList<>(List.of("export", "--model", model, "--out",
        out.toString(), "--html", "--ort-url", "/ort/ort.wasm.min.js"));
    args.addAll(List.of(options));
    Outcome r = cam4j(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(dir.resolve(name + "_cam.html")), r.out());
    chromium.driver().get("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/"
        + name + "_cam.html");
    String state = chromium.await(d -> (String) chromium.js("const s ="
        + " document.getElementById('status'); return s.className === 'error'"
        + " || s.textContent.startsWith('Ready') ? s.className + ':' + s.textContent : null;"));
    assertTrue(state.startsWith(":Ready"), state);
    return out;
  }

  /** The page's result for the tensor in {@code input} (npy), through its test hook. */
  private Map<String, Object> runTensor(String name, Path input) throws IOException {
    float[] x = Npy.read(input).toArray();
    ByteBuffer bytes = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(x);
    Files.write(site.resolve(name).resolve("tensor.bin"), bytes.array());
    chromium.js("window.testOut = null; fetch('tensor.bin').then(r => r.arrayBuffer())"
        + ".then(b => cam4j.runTensor(new Float32Array(b)))"
        + ".then(r => { window.testOut = {class: r.class, label: r.label,"
        + " cam: Array.from(r.cam), camRaw: Array.from(r.camRaw)}; },"
        + " e => { window.testOut = {error: String(e)}; });");
    return awaitResult("window.testOut");
  }

  /** The page's result after choosing {@code photo} in its file input. */
  private Map<String, Object> choosePhoto(Path photo) {
    chromium.js("window.cam4jResult = null;");
    chromium.driver().findElement(By.id("photo-file")).sendKeys(photo.toString());
    return awaitResult("window.cam4jResult && Object.assign({}, window.cam4jResult,"
        + " {cam: null, camRaw: null, input: window.cam4jResult.input"
        + " && Array.from(window.cam4jResult.input)})");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> awaitResult(String expression) {
    Map<String, Object> result = chromium.await(d -> (Map<String, Object>) chromium.js(
        "return " + expression + ";"));
    assertNull(result.get("error"), "the page failed: " + result.get("error"));
    return result;
  }

  private static float[] floats(Object list) {
    List<?> values = (List<?>) list;
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }

  private static long number(Map<String, Object> result, String key) {
    return ((Number) result.get(key)).longValue();
  }

  /** {@code explain --tensor}'s folder for the top class: gradcam.npy, gradcam_raw.npy. */
  private Path explain(String model, Path input, String layer) {
    Outcome r = cam4j("explain", "--model", model, "--tensor", input.toString(), "--out",
        tmp.toString(), "--layer", layer, "--class", "top");
    assertEquals(0, r.code(), r.err());
    return tmp;
  }

  /** Page vs Java ONNX Runtime (same file, same tensor) vs the library's Grad-CAM. */
  private void assertTensorRunMatches(String name, Path export, String model, String layer,
      Path input) throws Exception {
    Map<String, Object> page = runTensor(name, input);
    PlainOrt.Outputs java;
    try (PlainOrt ort = new PlainOrt(export)) {
      java = ort.run("input", Npy.read(input).toArray(), SHAPE, null);
    }
    assertArrayEquals(java.l("class"), new long[] {number(page, "class")}, name + " class");
    float[] cam = floats(page.get("cam"));
    assertClose(java.f("cam"), cam, MAP_TOLERANCE, name + " cam, page vs Java ORT");
    float[] raw = java.f("cam_raw");
    double scale = 0;
    for (float v : raw) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertClose(raw, floats(page.get("camRaw")), MAP_TOLERANCE * scale,
        name + " cam_raw, page vs Java ORT");
    Path library = explain(model, input, layer);
    assertClose(Npy.read(library.resolve("gradcam.npy")).toArray(), cam, MAP_TOLERANCE,
        name + " cam, page vs explain --tensor");
  }

  /**
   * The page's preprocessing of a photo vs cam4j's, the class both inputs give, and the page's
   * overlay vs cam4j's rendering (Heatmaps.toPhoto, Overlay defaults: jet, alpha 0.4) of the
   * map Java ORT returns for cam4j's input.
   */
  private Map<String, Object> assertPhotoMatches(Path export, Path photo,
      Preprocessing preprocessing) throws Exception {
    Map<String, Object> page = choosePhoto(photo);
    BufferedImage rgb = ImageLoader.defaults().load(photo);
    PreparedImage prepared = preprocessing.prepare(rgb, Layout.NCHW, 224, 224);
    float[] expected = prepared.tensor().toArray();
    assertClose(expected, floats(page.get("input")), PREPROCESSING_TOLERANCE,
        photo + ": page preprocessing");
    PlainOrt.Outputs java;
    try (PlainOrt ort = new PlainOrt(export)) {
      java = ort.run("input", expected, SHAPE, null);
    }
    assertArrayEquals(java.l("class"), new long[] {number(page, "class")}, photo + ": class");
    BufferedImage overlay = Overlay.defaults().blend(rgb,
        Heatmaps.toPhoto(Heatmap.of(224, 224, java.f("cam")), prepared));
    double[] difference = pixelDifference(overlay, pageOverlay());
    assertTrue(difference[0] <= OVERLAY_LEVELS && difference[1] <= OVERLAY_SHARE,
        photo + ": page overlay vs cam4j's: " + difference[0] + " levels at most, in a share of "
        + difference[1] + " of the pixels");
    return page;
  }

  @Test
  void resnet18PageEqualsJavaOrtAndLibrary() throws Exception {
    Path export = exportAndOpen("resnet18", RESNET, "--layer", RESNET_LAYER, "--preprocess",
        CENTER_CROP.toString());
    assertTensorRunMatches("resnet18", export, RESNET, RESNET_LAYER,
        shared("reference/input.npy"));
    // a centre crop: the page crops as cam4j does and leaves the cut margins at map value 0;
    // no labels: the page shows the index
    Map<String, Object> page = assertPhotoMatches(export, shared("images/cat.png"), CENTER_CROP);
    assertNull(page.get("label"));
    assertEquals("class " + page.get("class") + " (class " + page.get("class") + ")",
        chromium.driver().findElement(By.id("result")).getText());
  }

  /** The page's overlay canvas as pixels (a PNG data URL decoded by ImageIO). */
  private static BufferedImage pageOverlay() throws IOException {
    String url = (String) chromium.js(
        "return document.getElementById('overlay').toDataURL('image/png');");
    byte[] png = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  /** Largest channel difference and the share of pixels that differ at all. */
  private static double[] pixelDifference(BufferedImage a, BufferedImage b) {
    assertEquals(a.getWidth(), b.getWidth(), "overlay width");
    assertEquals(a.getHeight(), b.getHeight(), "overlay height");
    int worst = 0;
    long differing = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
          d = Math.max(d, Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF)));
        }
        worst = Math.max(worst, d);
        differing += d > 0 ? 1 : 0;
      }
    }
    return new double[] {worst, differing / (double) (a.getWidth() * a.getHeight())};
  }

  @Test
  void realMobileNetPageEqualsJavaOrtAndLibrary() throws Exception {
    Path export = exportAndOpen("mobilenet", MOBILENET, "--layer", MOBILENET_LAYER,
        "--labels", LABELS, "--preprocess", "inception");
    assertTensorRunMatches("mobilenet", export, MOBILENET, MOBILENET_LAYER,
        shared("reference/real_mobilenet_v2/cat.npy"));
    Map<String, Object> cat = assertPhotoMatches(export, shared("images/cat.png"),
        Preprocessing.INCEPTION);
    assertEquals(286L, number(cat, "class"));
    assertEquals("Egyptian cat", cat.get("label"));
    assertEquals("Egyptian cat (class 286)",
        chromium.driver().findElement(By.id("result")).getText());
    Map<String, Object> dog = assertPhotoMatches(export, shared("images/dog.jpg"),
        Preprocessing.INCEPTION);
    assertEquals("malamute, malemute, Alaskan malamute", dog.get("label"));
  }
}
