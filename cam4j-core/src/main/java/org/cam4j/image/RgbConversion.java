package org.cam4j.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/** Converts any decoded image to 8-bit sRGB without alpha ({@code TYPE_INT_RGB}). */
final class RgbConversion {
  private RgbConversion() {
  }

  /**
   * Gray and sRGB component images (any bit depth) are rescaled from their raw samples, because
   * {@code getRGB} treats Java's gray colour space as linear and would brighten gray photos;
   * palette and packed images go through {@code getRGB}; other colour spaces (e.g. CMYK from a
   * decoder that keeps it; TwelveMonkeys already turns CMYK JPEGs into RGB) are colour-managed to
   * sRGB. Alpha is composited over white.
   */
  static BufferedImage toRgb(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    int type = cm.getColorSpace().getType();
    boolean integral = cm.getTransferType() != DataBuffer.TYPE_FLOAT
        && cm.getTransferType() != DataBuffer.TYPE_DOUBLE;
    boolean samples = cm instanceof ComponentColorModel && integral
        && (type == ColorSpace.TYPE_GRAY || cm.getColorSpace().isCS_sRGB());
    if (samples) {
      return fromSamples(image);
    }
    if (type != ColorSpace.TYPE_RGB) {
      image = toSrgb(image);
    }
    return fromArgb(image);
  }

  private static BufferedImage toSrgb(BufferedImage image) {
    boolean alpha = image.getColorModel().hasAlpha();
    BufferedImage srgb = new BufferedImage(image.getWidth(), image.getHeight(),
        alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    new ColorConvertOp(null).filter(image, srgb);
    return srgb;
  }

  private static BufferedImage fromArgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = pixels(out);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int argb = row[x];
        dst[y * w + x] = overWhite((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF,
            argb >>> 24);
      }
    }
    return out;
  }

  private static BufferedImage fromSamples(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    int colours = cm.getNumColorComponents();
    boolean alpha = cm.hasAlpha();
    double[] scale = new double[cm.getNumComponents()];
    for (int b = 0; b < scale.length; b++) {
      scale[b] = 255.0 / ((1L << cm.getComponentSize(b)) - 1);
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = pixels(out);
    int bands = raster.getNumBands();
    int[] row = new int[w * bands];
    for (int y = 0; y < h; y++) {
      raster.getPixels(0, y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int i = x * bands;
        int r = level(row[i], scale[0]);
        int g = colours == 1 ? r : level(row[i + 1], scale[1]);
        int b = colours == 1 ? r : level(row[i + 2], scale[2]);
        int a = alpha ? level(row[i + colours], scale[colours]) : 255;
        dst[y * w + x] = cm.isAlphaPremultiplied() ? premultipliedOverWhite(r, g, b, a)
            : overWhite(r, g, b, a);
      }
    }
    return out;
  }

  private static int level(int sample, double scale) {
    return (int) Math.round(sample * scale);
  }

  private static int overWhite(int r, int g, int b, int a) {
    return rgb(blend(r, a), blend(g, a), blend(b, a));
  }

  private static int premultipliedOverWhite(int r, int g, int b, int a) {
    int white = 255 - a;
    return rgb(r + white, g + white, b + white);
  }

  private static int blend(int c, int a) {
    return (c * a + 255 * (255 - a) + 127) / 255;
  }

  private static int rgb(int r, int g, int b) {
    return (r << 16) | (g << 8) | b;
  }

  private static int[] pixels(BufferedImage rgb) {
    return ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
  }
}
