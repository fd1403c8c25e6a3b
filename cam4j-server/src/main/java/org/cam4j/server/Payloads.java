package org.cam4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.cam4j.explain.Classification;
import org.cam4j.explain.Explanation;
import org.cam4j.render.ImageFiles;
import org.cam4j.tensor.Npy;

/** The JSON bodies the API answers with. */
final class Payloads {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PNG = Path.of("picture.png");

  private Payloads() {
  }

  static byte[] bytes(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  static ObjectNode error(ApiException e) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", e.getMessage());
    ArrayNode s = body.putArray("suggestions");
    e.suggestions().forEach(s::add);
    return body;
  }

  static byte[] classification(String model, Classification c) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model);
    root.put("source", c.source());
    root.set("predictions", JSON.valueToTree(c.predictions()));
    root.put("millis", Math.round(c.millis() * 10) / 10.0);
    return bytes(root);
  }

  /**
   * The explanation: predictions, class explained, base64 PNGs (overlay and heatmap at the
   * photo's size; the layer strip when every block output was explained), each layer's raw map
   * as a base64 float32 {@code .npy}, and the manifest.
   */
  static byte[] explanation(String model, Explanation e, boolean strip, int tileHeight) {
    return bytes(explanationNode(model, e, strip, tileHeight));
  }

  /** Several methods' explanations of one photo, in the order asked: {@code comparison}. */
  static byte[] comparison(String model, List<Explanation> explanations) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model);
    ArrayNode list = root.putArray("comparison");
    explanations.forEach(e -> list.add(explanationNode(model, e, false, 0)));
    return bytes(root);
  }

  /**
   * One explanation; {@code map} is the normalised map at the photo's size as colormap indices
   * (see {@link MapBytes}) so a page can colour and blend it itself, and with the strip
   * {@code layerMaps} holds each layer's map on a tile of the strip's size.
   */
  static ObjectNode explanationNode(String model, Explanation e, boolean strip, int tileHeight) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model);
    root.put("method", e.method());
    ArrayNode layers = root.putArray("layers");
    e.layers().forEach(layers::add);
    root.set("target", JSON.valueToTree(e.target()));
    root.set("predictions", JSON.valueToTree(e.predictions()));
    ObjectNode images = root.putObject("images");
    images.put("overlay", png(e.overlay()));
    images.put("heatmap", png(e.heatmapImage()));
    root.set("map", MapBytes.json(e.photoMap()));
    if (e.layers().size() == 1) {
      root.put("rawMax", MapBytes.max(e.rawMap(e.layers().get(0))));
    }
    if (strip) {
      images.put("layers", png(e.layerStrip(tileHeight)));
      root.set("layerMaps", MapBytes.layerTiles(e, tileHeight));
    }
    ObjectNode raw = root.putObject("raw");
    for (String layer : e.layers()) {
      raw.put(layer, Base64.getEncoder().encodeToString(Npy.toBytes(e.rawMap(layer))));
    }
    ObjectNode manifest = JSON.valueToTree(e.manifest());
    // the model by its served id, never by where the server keeps the file
    ((ObjectNode) manifest.get("model")).put("path", model);
    root.set("manifest", manifest);
    return root;
  }

  static ObjectNode job(String id, String status) {
    ObjectNode body = JSON.createObjectNode();
    body.put("job", id);
    body.put("status", status);
    body.put("href", "/api/jobs/" + id);
    return body;
  }

  static ArrayNode strings(List<String> values) {
    ArrayNode a = JSON.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  static String png(BufferedImage image) {
    return Base64.getEncoder().encodeToString(ImageFiles.encode(image, PNG));
  }

  /**
   * The photo scaled down so its longer side is at most {@code maxSide} (halving steps, then
   * one bilinear step, so detail is averaged rather than skipped); smaller photos as they are.
   */
  static BufferedImage fit(BufferedImage photo, int maxSide) {
    int w = photo.getWidth();
    int h = photo.getHeight();
    if (Math.max(w, h) <= maxSide) {
      return photo;
    }
    double scale = (double) maxSide / Math.max(w, h);
    int tw = Math.max(1, (int) Math.round(w * scale));
    int th = Math.max(1, (int) Math.round(h * scale));
    BufferedImage current = photo;
    while (current.getWidth() / 2 >= tw && current.getHeight() / 2 >= th) {
      current = scaled(current, current.getWidth() / 2, current.getHeight() / 2);
    }
    return current.getWidth() == tw && current.getHeight() == th ? current
        : scaled(current, tw, th);
  }

  private static BufferedImage scaled(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
          RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
