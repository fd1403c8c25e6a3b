package org.cam4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import org.cam4j.explain.Explanation;
import org.cam4j.explain.Manifest;
import org.cam4j.image.CropBox;
import org.cam4j.render.Colormap;
import org.cam4j.render.Heatmap;
import org.cam4j.render.Heatmaps;
import org.cam4j.tensor.FloatTensor;

/**
 * Normalised maps for the page to colour itself: one byte per pixel, the colormap table index
 * {@link Colormap#index} of the value, so the page's colour is the very table entry the server's
 * {@link Colormap#rgb} picks, for every colormap, and recolouring needs no new request.
 */
final class MapBytes {
  private MapBytes() {
  }

  /** {@code {width, height, data}}: {@code data} is base64 of {@code height} rows of bytes. */
  static ObjectNode json(Heatmap map) {
    float[] values = map.values();
    byte[] indices = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      indices[i] = (byte) Colormap.index(values[i]);
    }
    ObjectNode o = Payloads.JSON.createObjectNode();
    o.put("width", map.width());
    o.put("height", map.height());
    o.put("data", Base64.getEncoder().encodeToString(indices));
    return o;
  }

  /** The largest value of a raw map (what 1 on the normalised scale stands for). */
  static double max(FloatTensor raw) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : raw.toArray()) {
      max = Math.max(max, v);
    }
    return max;
  }

  /**
   * Each explained layer's own map laid over the photo scaled to {@code tileHeight} rows, as in
   * {@link Explanation#layerStrip}: {@code [{layer, mapWidth, mapHeight, map}]} in graph order.
   */
  static ArrayNode layerTiles(Explanation e, int tileHeight) {
    Manifest.ImageInfo image = e.manifest().image();
    double scale = (double) tileHeight / image.height();
    int tileWidth = Math.max(1, (int) Math.round(image.width() * scale));
    Manifest.Region crop = image.crop();
    CropBox box = new CropBox(crop.x() * scale, crop.y() * scale, crop.width() * scale,
        crop.height() * scale);
    ArrayNode list = Payloads.JSON.createArrayNode();
    for (String layer : e.layers()) {
      Heatmap own = e.layerMap(layer);
      ObjectNode o = list.addObject();
      o.put("layer", layer);
      o.put("mapWidth", own.width());
      o.put("mapHeight", own.height());
      o.set("map", json(Heatmaps.onto(own, tileWidth, tileHeight, box)));
    }
    return list;
  }
}
