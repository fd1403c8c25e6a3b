package org.cam4j.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Objects;
import org.cam4j.InvalidInputException;

/** Blends a coloured heatmap over a photo. Immutable; see {@link #builder()}. */
public final class Overlay {
  private final Mode mode;
  private final double alpha;
  private final Colormap colormap;

  private Overlay(Builder b) {
    this.mode = b.mode;
    this.alpha = b.alpha;
    this.colormap = b.colormap;
  }

  /** ALPHA blend, alpha 0.4, JET. */
  public static Overlay defaults() {
    return builder().build();
  }

  /** Starts a builder with the defaults (jet, alpha 0.4, alpha blending). */
  public static Builder builder() {
    return new Builder();
  }

  /** How heat colour and photo combine; {@code heat} is the 8-bit colormap colour (0..255). */
  public enum Mode {
    /** Per channel {@code out = round((1 - alpha) * photo + alpha * heat)}. */
    ALPHA,
    /**
     * The Keras Grad-CAM tutorial ("Grad-CAM class activation visualization"): the colour of
     * value v is table entry {@code floor(255 * v)} (the tutorial's {@code np.uint8(255 * heatmap)}
     * index, where {@link Colormap#rgb} uses matplotlib's {@code floor(256 * v)}); per channel
     * {@code s = heat * alpha + photo}, then {@code keras.utils.array_to_img} scaling over the
     * whole image, all channels together,
     * {@code out = floor(255 * (s - min(s)) / (max(s) - min(s)))}, 0 everywhere when s is
     * constant (computed in double; Keras uses float32, which can move a value on a level
     * boundary by one). The tutorial colours its low-resolution map before resizing it to the
     * photo with PIL; here the map is resized first (see {@link Heatmaps}).
     */
    SEED
  }

  /** How the heatmap is combined with the photo. */
  public Mode mode() {
    return mode;
  }

  /** Weight of the heatmap in the blend, 0..1. */
  public double alpha() {
    return alpha;
  }

  /** The colormap that turns map values into colours. */
  public Colormap colormap() {
    return colormap;
  }

  /**
   * The photo with {@code heat} blended over it; {@code heat} must have the photo's size (see
   * {@link Heatmaps#toPhoto}), and so has the result.
   */
  public BufferedImage blend(BufferedImage photo, Heatmap heat) {
    int w = photo.getWidth();
    int h = photo.getHeight();
    if (heat.width() != w || heat.height() != h) {
      throw new IllegalArgumentException("heatmap is " + heat.width() + "x" + heat.height()
          + " but the photo is " + w + "x" + h + "; bring it to the photo with Heatmaps.toPhoto");
    }
    int[] photoRgb = photo.getRGB(0, 0, w, h, null, 0, w);
    float[] values = heat.values();
    int[] heatRgb = new int[photoRgb.length];
    for (int i = 0; i < heatRgb.length; i++) {
      heatRgb[i] = mode == Mode.ALPHA ? colormap.rgb(values[i])
          : colormap.entry((int) (255 * Math.max(0, Math.min(1, values[i]))));
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    if (mode == Mode.ALPHA) {
      for (int i = 0; i < pixels.length; i++) {
        int packed = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
          double v = (1 - alpha) * channel(photoRgb[i], shift) + alpha * channel(heatRgb[i], shift);
          packed |= (int) Math.round(v) << shift;
        }
        pixels[i] = packed;
      }
      return out;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < pixels.length; i++) {
      for (int shift = 16; shift >= 0; shift -= 8) {
        double s = seed(photoRgb[i], heatRgb[i], shift);
        min = Math.min(min, s);
        max = Math.max(max, s);
      }
    }
    double gain = max > min ? 255 / (max - min) : 0;
    for (int i = 0; i < pixels.length; i++) {
      int packed = 0;
      for (int shift = 16; shift >= 0; shift -= 8) {
        int level = (int) Math.floor((seed(photoRgb[i], heatRgb[i], shift) - min) * gain);
        packed |= Math.min(level, 255) << shift;
      }
      pixels[i] = packed;
    }
    return out;
  }

  private double seed(int photo, int heat, int shift) {
    return channel(heat, shift) * alpha + channel(photo, shift);
  }

  private static int channel(int rgb, int shift) {
    return (rgb >> shift) & 0xFF;
  }

  /** Builder for {@link Overlay}. */
  public static final class Builder {
    private Mode mode = Mode.ALPHA;
    private double alpha = 0.4;
    private Colormap colormap = Colormap.JET;

    private Builder() {
    }

    /** How the heatmap is combined with the photo. */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Weight of the heat colour, in [0, 1]; 0.4 by default (also the Keras tutorial's). */
    public Builder alpha(double alpha) {
      if (!(alpha >= 0 && alpha <= 1)) {
        throw new InvalidInputException("alpha must be in [0, 1], got " + alpha);
      }
      this.alpha = alpha;
      return this;
    }

    /** The colormap that turns map values into colours. */
    public Builder colormap(Colormap colormap) {
      this.colormap = Objects.requireNonNull(colormap, "colormap");
      return this;
    }

    /** The overlay settings. */
    public Overlay build() {
      return new Overlay(this);
    }
  }
}
