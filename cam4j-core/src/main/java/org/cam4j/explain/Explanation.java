package org.cam4j.explain;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cam4j.InvalidInputException;
import org.cam4j.image.CropBox;
import org.cam4j.image.PreparedImage;
import org.cam4j.internal.io.AtomicFiles;
import org.cam4j.internal.trace.PhaseTrace;
import org.cam4j.labels.Prediction;
import org.cam4j.render.Heatmap;
import org.cam4j.render.Heatmaps;
import org.cam4j.render.ImageFiles;
import org.cam4j.render.Montage;
import org.cam4j.render.Overlay;
import org.cam4j.render.Tile;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;

/**
 * Why the network chose a class for one photo: the predictions, the class explained, each
 * layer's raw map, and the normalised heatmap at the network input's and at the photo's full
 * resolution, with its provenance. Immutable (pictures are handed out as copies).
 *
 * <p>Maps follow the Keras Grad-CAM tutorial: each layer's raw map (e.g. {@code sum_k w_k A_k})
 * becomes {@code ReLU(raw) / max} at its own resolution (an all-zero map stays zero), is resized
 * bilinearly onto the input or onto the photo region the input was made from, and several
 * layers are averaged.
 */
public final class Explanation {
  private final BufferedImage photo;
  private final PreparedImage prepared;
  private final Prediction target;
  private final Map<String, FloatTensor> rawMaps;
  private final Map<String, Heatmap> layerMaps;
  private final Heatmap inputMap;
  private final Heatmap photoMap;
  private final Overlay overlay;
  private final Manifest manifest;

  Explanation(BufferedImage photo, PreparedImage prepared, Prediction target,
      Map<String, FloatTensor> rawMaps, Map<String, Heatmap> layerMaps, Heatmap inputMap,
      Heatmap photoMap, Overlay overlay, Manifest manifest) {
    this.photo = copy(photo);
    this.prepared = prepared;
    this.target = target;
    this.rawMaps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rawMaps));
    this.layerMaps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layerMaps));
    this.inputMap = inputMap;
    this.photoMap = photoMap;
    this.overlay = overlay;
    this.manifest = manifest;
  }

  /** The top-k predictions, most probable first. */
  public List<Prediction> predictions() {
    return manifest.predictions();
  }

  /** The class explained, with its probability and logit. */
  public Prediction target() {
    return target;
  }

  /** The name of the method that made this explanation. */
  public String method() {
    return manifest.method();
  }

  /**
   * The ONNX tensors explained, in graph order; for methods that attribute to the pixels
   * (saliency, integrated gradients...) the model's input.
   */
  public List<String> layers() {
    return List.copyOf(rawMaps.keySet());
  }

  /** A layer's map before ReLU and normalisation, [h, w] at feature-map resolution. */
  public FloatTensor rawMap(String layer) {
    FloatTensor t = rawMaps.get(layer);
    if (t == null) {
      throw new InvalidInputException("'" + layer + "' is not among the explained layers "
          + layers());
    }
    return t;
  }

  /** A layer's map as {@code ReLU(raw) / max}, at feature-map resolution. */
  public Heatmap layerMap(String layer) {
    rawMap(layer);
    return layerMaps.get(layer);
  }

  /** The normalised map at the network input's resolution (values in [0, 1]). */
  public Heatmap inputMap() {
    return inputMap;
  }

  /** The normalised map over the whole original photo, at its full resolution. */
  public Heatmap photoMap() {
    return photoMap;
  }

  /** A copy of the photo, as decoded (EXIF orientation applied). */
  public BufferedImage photo() {
    return copy(photo);
  }

  /** What was explained and how: model, preprocessing, target, layers, timings. */
  public Manifest manifest() {
    return manifest;
  }

  /** The heatmap blended onto the photo as the options asked; the photo's exact size. */
  public BufferedImage overlay() {
    return overlay(overlay);
  }

  /** The heatmap blended onto the photo with another style; the photo's exact size. */
  public BufferedImage overlay(Overlay style) {
    return style.blend(photo, photoMap);
  }

  /** The coloured heatmap alone, at the photo's size. */
  public BufferedImage heatmapImage() {
    return overlay.colormap().render(photoMap);
  }

  /**
   * The photo followed by one overlay per explained layer (each layer's own map), scaled to
   * {@code tileHeight} pixels high and captioned with the layer name and map size: how the
   * features change with depth.
   */
  public BufferedImage layerStrip(int tileHeight) {
    if (tileHeight < 1) {
      throw new InvalidInputException("tile height must be >= 1, got " + tileHeight);
    }
    double scale = (double) tileHeight / photo.getHeight();
    int tileWidth = Math.max(1, (int) Math.round(photo.getWidth() * scale));
    BufferedImage small = scaled(photo, tileWidth, tileHeight);
    CropBox box = prepared.cropBox();
    CropBox smallBox = new CropBox(box.x() * scale, box.y() * scale, box.width() * scale,
        box.height() * scale);
    List<Tile> tiles = new ArrayList<>();
    tiles.add(new Tile(small, "photo"));
    for (Map.Entry<String, Heatmap> e : layerMaps.entrySet()) {
      Heatmap m = e.getValue();
      Heatmap onTile = Heatmaps.onto(m, tileWidth, tileHeight, smallBox);
      tiles.add(new Tile(overlay.blend(small, onTile), shortName(e.getKey()) + " " + m.width()
          + "x" + m.height()));
    }
    return Montage.defaults().grid(tiles, tiles.size());
  }

  /**
   * Saves the output set into {@code dir}, named after the photo ({@code cat.png} gives
   * {@code cat_gradcam_overlay.png} ...): see {@link #save(Path, String, String)}.
   */
  public Manifest save(Path dir) {
    return save(dir, stem(manifest.image().source()), "png");
  }

  /**
   * Saves {@code <stem>_<method>_overlay.<format>}, {@code _heatmap.<format>}, {@code _map.npy}
   * (float32 [H, W], the normalised map at input resolution), {@code _raw.npy} (float32 [h, w],
   * the raw map), {@code _manifest.json} and, when there are several layers, per layer
   * {@code _layer03_<layer>_raw.npy} and {@code _layer03_<layer>_overlay.<format>} (index in
   * graph order, zero-padded so the names sort in that order; the layer name with {@code /} as
   * {@code -}; manifest roles {@code layer03_raw}, {@code layer03_overlay}) and
   * {@code _layers.<format>} (the layer strip). The method's name is made file-name safe:
   * {@code gradcam++} gives {@code gradcampp}. Each file
   * appears complete or not at all; the files are renamed into place only once all of them are
   * written, and if that fails midway the ones already in place are removed, so a failure never
   * leaves part of the set (an older file of the same name that was replaced is not restored).
   *
   * @param format {@code png} or {@code jpg}
   * @return the manifest as written, listing the files
   */
  public Manifest save(Path dir, String stem, String format) {
    String ext = format.toLowerCase(Locale.ROOT);
    if (!ext.equals("png") && !ext.equals("jpg")) {
      throw new InvalidInputException("image format must be png or jpg, got " + format);
    }
    long t0 = PhaseTrace.start();
    String base = stem + "_" + fileName(method());
    Map<String, String> names = new LinkedHashMap<>();
    Map<Path, byte[]> files = new LinkedHashMap<>();
    Path overlayFile = dir.resolve(base + "_overlay." + ext);
    ImageFiles.checkFolder(overlayFile);
    put(files, names, "overlay", overlayFile, ImageFiles.encode(overlay(), overlayFile));
    Path heatFile = dir.resolve(base + "_heatmap." + ext);
    put(files, names, "heatmap", heatFile, ImageFiles.encode(heatmapImage(), heatFile));
    put(files, names, "map", dir.resolve(base + "_map.npy"), Npy.toBytes(asTensor(inputMap)));
    List<String> layers = layers();
    if (layers.size() == 1) {
      put(files, names, "raw", dir.resolve(base + "_raw.npy"), Npy.toBytes(rawMaps.get(
          layers.get(0))));
    }
    if (layers.size() > 1) {
      for (int i = 0; i < layers.size(); i++) {
        String layer = layers.get(i);
        String tag = layerTag(i, layers.size());
        String prefix = base + "_" + tag + "_" + fileName(shortName(layer));
        put(files, names, tag + "_raw", dir.resolve(prefix + "_raw.npy"),
            Npy.toBytes(rawMaps.get(layer)));
        Path layerOverlay = dir.resolve(prefix + "_overlay." + ext);
        put(files, names, tag + "_overlay", layerOverlay, ImageFiles.encode(
            overlay.blend(photo, Heatmaps.toPhoto(layerMaps.get(layer), prepared)),
            layerOverlay));
      }
      Path strip = dir.resolve(base + "_layers." + ext);
      put(files, names, "layers", strip, ImageFiles.encode(layerStrip(224), strip));
    }
    Path manifestFile = dir.resolve(base + "_manifest.json");
    names.put("manifest", manifestFile.getFileName().toString());
    Manifest saved = manifest.withFiles(names);
    files.put(manifestFile, saved.toJson().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.writeAll(files);
    PhaseTrace.end("render + write outputs", t0);
    return saved;
  }

  private static void put(Map<Path, byte[]> files, Map<String, String> names, String role,
      Path file, byte[] bytes) {
    files.put(file, bytes);
    names.put(role, file.getFileName().toString());
  }

  private static FloatTensor asTensor(Heatmap m) {
    return FloatTensor.of(new long[] {m.height(), m.width()}, m.values());
  }

  /** The file name without folder and extension, reduced to safe characters. */
  static String stem(String source) {
    String name = Path.of(source).getFileName().toString();
    int dot = name.lastIndexOf('.');
    String bare = dot > 0 ? name.substring(0, dot) : name;
    String safe = bare.replaceAll("[^A-Za-z0-9._-]+", "_");
    return safe.isEmpty() ? "explanation" : safe;
  }

  /**
   * {@code layer03}: the layer's index in graph order, zero-padded so that the files of up to
   * {@code count} layers sort in that order.
   */
  static String layerTag(int index, int count) {
    int digits = Math.max(2, String.valueOf(count - 1).length());
    return "layer" + "0".repeat(Math.max(0, digits - String.valueOf(index).length())) + index;
  }

  /**
   * A name reduced to file-name-safe characters: {@code +} becomes {@code p} (so
   * {@code gradcam++} gives {@code gradcampp}), path separators {@code -}, anything else outside
   * {@code [A-Za-z0-9._-]} {@code _}.
   */
  static String fileName(String name) {
    return name.replace('+', 'p').replaceAll("[/\\\\]+", "-")
        .replaceAll("[^A-Za-z0-9._-]+", "_");
  }

  /** The tensor name without ONNX output suffixes such as {@code :0}. */
  private static String shortName(String tensor) {
    return tensor.replaceAll("(_output_0|:0)$", "");
  }

  private static BufferedImage scaled(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
          RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static BufferedImage copy(BufferedImage src) {
    BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(),
        BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, src.getWidth(), src.getHeight(),
        src.getRGB(0, 0, src.getWidth(), src.getHeight(), null, 0, src.getWidth()), 0,
        src.getWidth());
    return out;
  }
}
