package org.cam4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.cam4j.ResourceUnavailableException;

/**
 * The browser page {@code cam4j export --html} writes beside an export: the template
 * {@code export-page.html} with the model's relative URL and the onnxruntime-web script URL
 * filled in. The page reads everything else (input, preprocessing, labels) from the model.
 */
final class ExportPage {
  /** onnxruntime-web's WebAssembly-only build, pinned to the version the tests run. */
  static final String DEFAULT_ORT_URL =
      "https://cdn.jsdelivr.net/npm/onnxruntime-web@1.30.0/dist/ort.wasm.min.js";
  private static final String TEMPLATE = "export-page.html";
  private static final String DEFAULT_CONFIG = "{\"model\":null}";

  private ExportPage() {
  }

  /** {@code M_cam.onnx} -> {@code M_cam.html}, in the same folder. */
  static Path pathFor(Path model) {
    String name = model.getFileName().toString();
    String stem = name.toLowerCase(Locale.ROOT).endsWith(".onnx")
        ? name.substring(0, name.length() - 5) : name;
    return model.resolveSibling(stem + ".html");
  }

  /** The page for the model file {@code model}, loading onnxruntime-web from {@code ortUrl}. */
  static String html(Path model, String ortUrl) {
    String template;
    try (InputStream in = ExportPage.class.getResourceAsStream(TEMPLATE)) {
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the page template " + TEMPLATE, e);
    }
    String config = "{\"model\":\"" + jsonString(relativeUrl(model.getFileName().toString()))
        + "\"}";
    return replaceOnce(replaceOnce(template, DEFAULT_CONFIG, config),
        "src=\"" + DEFAULT_ORT_URL + "\"", "src=\"" + attribute(ortUrl) + "\"");
  }

  /** Writes the page beside the model (to a temporary file, then renamed); returns its path. */
  static Path write(Path model, String ortUrl) {
    Path target = pathFor(model).toAbsolutePath();
    try {
      Path temp = Files.createTempFile(target.getParent(), ".export", ".html.tmp");
      try {
        Files.writeString(temp, html(model, ortUrl), StandardCharsets.UTF_8);
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new ResourceUnavailableException("cannot write the page " + target + ": "
          + e.getMessage(), e);
    }
    return target;
  }

  private static String replaceOnce(String text, String from, String to) {
    int at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0) {
      throw new IllegalStateException("the page template must hold '" + from + "' once");
    }
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  /** A file name as a relative URL ({@code ./}, so a colon is no scheme; spaces encoded). */
  private static String relativeUrl(String fileName) {
    try {
      return "./" + new URI(null, null, fileName, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot make a URL of " + fileName, e);
    }
  }

  /** A JSON string body safe inside a script element ({@code <} escaped). */
  private static String jsonString(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String attribute(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;")
        .replace(">", "&gt;");
  }
}
