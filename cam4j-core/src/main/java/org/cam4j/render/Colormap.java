package org.cam4j.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import org.cam4j.InvalidInputException;

/**
 * Colour scales for heatmaps, as 256-entry tables like matplotlib's. A value {@code v} in [0, 1]
 * picks entry {@code min(floor(v * 256), 255)} (matplotlib's rule); entries are 8-bit RGB.
 *
 * <p>JET and GRAY are generated from matplotlib's definitions (JET's segment data), so every
 * entry is matplotlib's colour rounded to 8 bits (error at most 0.5/255). TURBO, VIRIDIS and
 * INFERNO interpolate linearly between 33 of matplotlib's entries (0, 8, ..., 248, 255) stored as
 * 8-bit colours: at those anchors the error is rounding only (at most 0.5/255); over all 256
 * entries the largest error against matplotlib 3.11's float colours is 2.6/255 (TURBO), 2.0/255
 * (VIRIDIS) and 2.1/255 (INFERNO). Google's published degree-5 polynomial for Turbo was not used:
 * it is off by up to 32/255 at the ends of the scale.
 */
public enum Colormap {
  /**
   * matplotlib {@code jet} (the Keras Grad-CAM tutorial's colormap), piecewise linear per channel;
   * dark blue (0, 0, 128) at 0, dark red (128, 0, 0) at 1.
   */
  JET(table(
      new double[][] {{0, 0}, {0.35, 0}, {0.66, 1}, {0.89, 1}, {1, 0.5}},
      new double[][] {{0, 0}, {0.125, 0}, {0.375, 1}, {0.64, 1}, {0.91, 0}, {1, 0}},
      new double[][] {{0, 0.5}, {0.11, 1}, {0.34, 1}, {0.65, 0}, {1, 0}})),
  /** Google's Turbo (Mikhailov 2019, Apache-2.0), as in matplotlib. */
  TURBO(anchored(
      0x30123b, 0x392a73, 0x4040a2, 0x4456c7, 0x466be3, 0x4680f6, 0x4294ff, 0x37a8fa, 0x28bceb,
      0x1ccdd8, 0x18ddc2, 0x1fe9af, 0x32f298, 0x4ef97d, 0x6dfe62, 0x8bff4b, 0xa4fc3c, 0xb9f635,
      0xcdec34, 0xdfdf37, 0xeecf3a, 0xf8be39, 0xfdac34, 0xfe962b, 0xfb7e21, 0xf46617, 0xeb500e,
      0xdf3f08, 0xd02f05, 0xbe2102, 0xa91601, 0x920b01, 0x7a0403)),
  /** matplotlib's viridis (van der Walt and Smith, CC0). */
  VIRIDIS(anchored(
      0x440154, 0x470d60, 0x48186a, 0x482374, 0x472d7b, 0x453781, 0x424086, 0x3e4989, 0x3b528b,
      0x375b8d, 0x33638d, 0x2f6b8e, 0x2c728e, 0x297a8e, 0x26828e, 0x23898e, 0x21918c, 0x1f988b,
      0x1fa088, 0x22a785, 0x28ae80, 0x32b67a, 0x3fbc73, 0x4ec36b, 0x5ec962, 0x70cf57, 0x84d44b,
      0x98d83e, 0xaddc30, 0xc2df23, 0xd8e219, 0xece51b, 0xfde725)),
  /** matplotlib's inferno (van der Walt and Smith, CC0). */
  INFERNO(anchored(
      0x000004, 0x040312, 0x0b0724, 0x150b37, 0x210c4a, 0x2f0a5b, 0x3d0965, 0x4a0c6b, 0x57106e,
      0x64156e, 0x71196e, 0x7d1e6d, 0x8a226a, 0x972766, 0xa32c61, 0xb0315b, 0xbc3754, 0xc73e4c,
      0xd24644, 0xdb503b, 0xe45a31, 0xeb6628, 0xf1731d, 0xf68013, 0xf98e09, 0xfb9d07, 0xfcac11,
      0xfbbc21, 0xf9cb35, 0xf5db4c, 0xf2ea69, 0xf3f68a, 0xfcffa4)),
  /** Black to white. */
  GRAY(table(new double[][] {{0, 0}, {1, 1}}, new double[][] {{0, 0}, {1, 1}},
      new double[][] {{0, 0}, {1, 1}}));

  /** Number of table entries. */
  public static final int SIZE = 256;

  /** A colormap by its lowercase name ({@code jet}, {@code turbo}...), any case. */
  public static Colormap parse(String name) {
    for (Colormap c : values()) {
      if (c.name().equalsIgnoreCase(name.trim())) {
        return c;
      }
    }
    throw new InvalidInputException("unknown colormap '" + name + "'; available: "
        + String.join(", ", names()));
  }

  /** The lowercase names, in declaration order. */
  public static java.util.List<String> names() {
    return java.util.Arrays.stream(values()).map(c -> c.name().toLowerCase(java.util.Locale.ROOT))
        .toList();
  }

  private static final int ANCHOR_SPACING = 8;

  private final int[] entries;

  Colormap(int[] entries) {
    this.entries = entries;
  }

  /** The 8-bit colour {@code 0xRRGGBB} for {@code value}, clamped to [0, 1]; NaN counts as 0. */
  public int rgb(double value) {
    return entries[index(value)];
  }

  /** The table index for {@code value}: {@code min(floor(v * 256), 255)}, v clamped to [0, 1]. */
  public static int index(double value) {
    double v = value > 0 ? Math.min(value, 1) : 0;
    return Math.min((int) (v * SIZE), SIZE - 1);
  }

  /** Table entry {@code index} (0..255) as {@code 0xRRGGBB}. */
  public int entry(int index) {
    return entries[index];
  }

  /** The map drawn in this colour scale, one pixel per value. */
  public BufferedImage render(Heatmap map) {
    BufferedImage out = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_INT_RGB);
    int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    float[] values = map.values();
    for (int i = 0; i < values.length; i++) {
      pixels[i] = rgb(values[i]);
    }
    return out;
  }

  /** Entries from matplotlib segment data: per channel, (x, y) points of a piecewise-linear map. */
  private static int[] table(double[][] red, double[][] green, double[][] blue) {
    int[] lut = new int[SIZE];
    for (int i = 0; i < SIZE; i++) {
      double x = i / (SIZE - 1.0);
      lut[i] = rgb(level(interpolate(red, x)), level(interpolate(green, x)),
          level(interpolate(blue, x)));
    }
    return lut;
  }

  private static double interpolate(double[][] points, double x) {
    for (int k = 1; k < points.length; k++) {
      if (x <= points[k][0]) {
        double t = (x - points[k - 1][0]) / (points[k][0] - points[k - 1][0]);
        return points[k - 1][1] + t * (points[k][1] - points[k - 1][1]);
      }
    }
    return points[points.length - 1][1];
  }

  /** Entries interpolated between anchors at entries 0, 8, 16, ..., 248 and 255. */
  private static int[] anchored(int... anchors) {
    int[] lut = new int[SIZE];
    for (int i = 0; i < SIZE; i++) {
      int k = Math.min(i / ANCHOR_SPACING, anchors.length - 2);
      int from = k * ANCHOR_SPACING;
      int to = Math.min((k + 1) * ANCHOR_SPACING, SIZE - 1);
      double t = (i - from) / (double) (to - from);
      int a = anchors[k];
      int b = anchors[k + 1];
      lut[i] = rgb(mix(a >> 16, b >> 16, t), mix(a >> 8, b >> 8, t), mix(a, b, t));
    }
    return lut;
  }

  private static int mix(int a, int b, double t) {
    return (int) Math.round((a & 0xFF) + t * ((b & 0xFF) - (a & 0xFF)));
  }

  private static int level(double c) {
    return (int) Math.round(255 * Math.max(0, Math.min(1, c)));
  }

  private static int rgb(int r, int g, int b) {
    return (r << 16) | (g << 8) | b;
  }
}
