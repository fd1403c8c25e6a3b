package org.cam4j.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.cam4j.internal.image.AxisSampling;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;

/**
 * How a photo becomes a network input: resize to the input size, then per channel
 * {@code x = (v * scale - mean[c]) / std[c]}, where {@code v} is the resized 0..255 value (kept as
 * float) and {@code c} counts channels in the model's {@link ChannelOrder}. Immutable; start from a
 * preset or {@link #builder()}, and derive with {@link #toBuilder()}.
 *
 * <p>As text ({@link #parse}, {@link #toString}) it is a preset name or a spec of
 * {@code key=value} items separated by {@code ;}, optionally led by a preset name whose values
 * the items override, e.g. {@code torch;resize=center-crop} or
 * {@code mean=123.68,116.78,103.94;std=58.4,57.1,57.4;scale=1;order=rgb}. Keys: {@code mean} and
 * {@code std} (one value or three, in model channel order), {@code scale} (a number or a
 * fraction such as {@code 1/255}), {@code order} ({@code rgb}, {@code bgr}), {@code resize}
 * ({@code squash-bilinear}, {@code squash-nearest}, {@code center-crop}) and {@code crop} (the
 * centre-crop fraction). Defaults: mean 0, std 1, scale 1, rgb, squash-bilinear, crop 0.875.
 *
 * <p>A model can carry its preprocessing in a sidecar file named after it plus
 * {@value #SIDECAR_SUFFIX} (e.g. {@code resnet50.onnx.preprocess}): the same spec, where line
 * ends also separate items, {@code #} starts a comment and blank lines are ignored.
 */
public final class Preprocessing {
  /** File name suffix of the sidecar read by {@link #sidecarOf(Path)}. */
  public static final String SIDECAR_SUFFIX = ".preprocess";

  /**
   * Keras {@code imagenet_utils.preprocess_input(mode="caffe")} (ResNet50, VGG): RGB to BGR, then
   * {@code x = v - [103.939, 116.779, 123.68]} (means in BGR order), no scaling.
   */
  public static final Preprocessing KERAS_CAFFE = builder().channelOrder(ChannelOrder.BGR)
      .mean(103.939, 116.779, 123.68).build();

  /**
   * torchvision ImageNet models: {@code x = (v / 255 - [0.485, 0.456, 0.406]) /
   * [0.229, 0.224, 0.225]}, RGB.
   */
  public static final Preprocessing TORCH = builder().scale(1 / 255.0)
      .mean(0.485, 0.456, 0.406).std(0.229, 0.224, 0.225).build();

  /** Keras {@code preprocess_input(mode="tf")} (MobileNet, Xception): {@code x = v / 127.5 - 1}. */
  public static final Preprocessing TF = builder().scale(1 / 127.5).mean(1).build();

  /**
   * TF-slim Inception/MobileNet and their TFLite versions: {@code x = (v - 128) / 128}, the uint8
   * input quantization (scale 1/128, zero point 128) of the TFLite models.
   */
  public static final Preprocessing INCEPTION = builder().mean(128).std(128).build();

  /** No normalisation: {@code x = v}, 0..255 floats, RGB. */
  public static final Preprocessing RAW = builder().build();

  private static final Map<String, Preprocessing> PRESETS = presets();

  private final double[] mean;
  private final double[] std;
  private final double scale;
  private final ChannelOrder channelOrder;
  private final ResizeMode resizeMode;
  private final double cropFraction;

  private Preprocessing(Builder b) {
    this.mean = b.mean.clone();
    this.std = b.std.clone();
    this.scale = b.scale;
    this.channelOrder = b.channelOrder;
    this.resizeMode = b.resizeMode;
    this.cropFraction = b.cropFraction;
  }

  private static Map<String, Preprocessing> presets() {
    Map<String, Preprocessing> m = new LinkedHashMap<>();
    m.put("keras-caffe", KERAS_CAFFE);
    m.put("torch", TORCH);
    m.put("tf", TF);
    m.put("inception", INCEPTION);
    m.put("raw", RAW);
    return m;
  }

  /** Starts a builder: mean 0, std 1, scale 1, RGB, squashed bilinear resize. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this preprocessing. */
  public Builder toBuilder() {
    return new Builder().mean(mean).std(std).scale(scale).channelOrder(channelOrder)
        .resizeMode(resizeMode).cropFraction(cropFraction);
  }

  /** Order of the three channels the model expects. */
  public enum ChannelOrder {
    RGB,
    BGR
  }

  /** How the photo is brought to the network input size. */
  public enum ResizeMode {
    /**
     * The whole photo to the input size, aspect ratio not kept, bilinear with half-pixel centres
     * and no antialiasing (see {@link AxisSampling#linear}, with {@code step} = in / out rounded
     * to float32 as PyTorch computes it); the default.
     */
    SQUASH_BILINEAR("squash-bilinear"),
    /** The whole photo to the input size, nearest neighbour (see {@link AxisSampling#nearest}). */
    SQUASH_NEAREST("squash-nearest"),
    /**
     * Bilinear resize so the input size is the crop fraction of the result (224 / 0.875 = 256:
     * the shorter side becomes 256 for a square input), then the centred input-size crop; the
     * torchvision {@code Resize(256) + CenterCrop(224)} recipe, without antialiasing.
     */
    CENTER_CROP("center-crop");

    private final String id;

    ResizeMode(String id) {
      this.id = id;
    }

    /** The name used in spec strings. */
    public String id() {
      return id;
    }
  }

  /**
   * A preset name ({@code keras-caffe}, {@code torch}, {@code tf}, {@code inception},
   * {@code raw}) or a spec (see the class comment).
   */
  public static Preprocessing parse(String text) {
    return parse(text, "preprocessing '" + text + "'");
  }

  private static Preprocessing parse(String text, String source) {
    String[] items = text.split("[;\\n]");
    Builder b = builder();
    boolean first = true;
    boolean any = false;
    for (String raw : items) {
      String item = raw.replaceFirst("#.*", "").trim();
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      if (eq < 0) {
        if (!first) {
          throw new PreprocessingException(source + ": '" + item + "' must be key=value; only"
              + " the first item may be a preset name");
        }
        b = preset(item, source).toBuilder();
      } else {
        SpecKey.of(item.substring(0, eq).trim(), source)
            .apply(b, item.substring(eq + 1).trim(), source);
      }
      first = false;
      any = true;
    }
    if (!any) {
      throw new PreprocessingException(source + " is empty: give a preset (" + presetNames()
          + ") or a spec like mean=123.68,116.78,103.94;std=58.4,57.1,57.4;scale=1;order=rgb");
    }
    return b.build();
  }

  private static Preprocessing preset(String name, String source) {
    Preprocessing p = PRESETS.get(name.toLowerCase(Locale.ROOT));
    if (p == null) {
      throw new PreprocessingException(source + ": unknown preprocessing '" + name
          + "'; valid presets: " + presetNames()
          + ", or a spec like mean=123.68,116.78,103.94;std=58.4,57.1,57.4;scale=1;order=rgb");
    }
    return p;
  }

  private static String presetNames() {
    return String.join(", ", PRESETS.keySet());
  }

  /** Reads a preprocessing file (spec syntax, one or more items per line, # comments). */
  public static Preprocessing read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PreprocessingException("cannot read preprocessing file " + file + ": "
          + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** The sidecar {@code <model file>}{@value #SIDECAR_SUFFIX} beside the model, if there is one. */
  public static Optional<Preprocessing> sidecarOf(Path model) {
    Path sidecar = model.resolveSibling(model.getFileName() + SIDECAR_SUFFIX);
    return Files.isRegularFile(sidecar) ? Optional.of(read(sidecar)) : Optional.empty();
  }

  /**
   * Resizes {@code rgb} to {@code width x height} per the {@link ResizeMode}, normalises it and
   * lays it out as {@code [1, 3, height, width]} or {@code [1, height, width, 3]}. Alpha, if any,
   * is ignored: pass photos from {@link ImageLoader}.
   */
  public PreparedImage prepare(BufferedImage rgb, Layout layout, int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("input size must be positive, got " + width + "x"
          + height);
    }
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    CropBox box = cropBox(w, h, width, height);
    // the ratio is rounded to float32 as PyTorch computes it ((float) in / out); the references
    // in shared/ were made that way and agree to 1 float ulp, the exact ratio to 1.3e-5
    double stepY = (float) (box.height() / height);
    double stepX = (float) (box.width() / width);
    boolean nearest = resizeMode == ResizeMode.SQUASH_NEAREST;
    AxisSampling rows = nearest ? AxisSampling.nearest(h, height, box.y(), stepY)
        : AxisSampling.linear(h, height, box.y(), stepY);
    AxisSampling cols = nearest ? AxisSampling.nearest(w, width, box.x(), stepX)
        : AxisSampling.linear(w, width, box.x(), stepX);
    int[] row = new int[w];
    float[] data = new float[3 * width * height];
    for (int c = 0; c < 3; c++) {
      int shift = channelOrder == ChannelOrder.RGB ? 16 - 8 * c : 8 * c;
      float[] plane = AxisSampling.resample((y, into) -> {
        rgb.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          into[x] = (row[x] >> shift) & 0xFF;
        }
      }, w, rows, cols);
      for (int i = 0; i < plane.length; i++) {
        float value = (float) ((plane[i] * scale - mean[c]) / std[c]);
        data[layout == Layout.NCHW ? c * plane.length + i : 3 * i + c] = value;
      }
    }
    long[] shape = layout == Layout.NCHW ? new long[] {1, 3, height, width}
        : new long[] {1, height, width, 3};
    return new PreparedImage(FloatTensor.of(shape, data), layout, w, h, box);
  }

  /** The photo region the input shows; see {@link ResizeMode#CENTER_CROP} for the crop. */
  private CropBox cropBox(int w, int h, int width, int height) {
    if (resizeMode != ResizeMode.CENTER_CROP) {
      return new CropBox(0, 0, w, h);
    }
    double k = Math.max(width / (double) w, height / (double) h) / cropFraction;
    long resizedW = Math.max(width, Math.round(w * k));
    long resizedH = Math.max(height, Math.round(h * k));
    // Math.rint rounds halves to even, as torchvision's CenterCrop (Python round) does
    double left = Math.rint((resizedW - width) / 2.0);
    double top = Math.rint((resizedH - height) / 2.0);
    double toPhotoX = w / (double) resizedW;
    double toPhotoY = h / (double) resizedH;
    return new CropBox(left * toPhotoX, top * toPhotoY, width * toPhotoX, height * toPhotoY);
  }

  /** Per-channel means, in model channel order, subtracted after scaling. */
  public double[] mean() {
    return mean.clone();
  }

  /** Per-channel divisors, in model channel order. */
  public double[] std() {
    return std.clone();
  }

  /** Multiplies the 0..255 value before the mean is subtracted. */
  public double scale() {
    return scale;
  }

  /** The order of the colour channels in the tensor. */
  public ChannelOrder channelOrder() {
    return channelOrder;
  }

  /** How the photo is resized to the model input. */
  public ResizeMode resizeMode() {
    return resizeMode;
  }

  /** The input size as a fraction of the resized photo, for {@link ResizeMode#CENTER_CROP}. */
  public double cropFraction() {
    return cropFraction;
  }

  /** The spec string; {@link #parse} of it gives an equal object. */
  @Override
  public String toString() {
    return "mean=" + join(mean) + ";std=" + join(std) + ";scale=" + scale + ";order="
        + channelOrder.name().toLowerCase(Locale.ROOT) + ";resize=" + resizeMode.id()
        + ";crop=" + cropFraction;
  }

  private static String join(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.length() == 0 ? "" : ",").append(v);
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p && Arrays.equals(mean, p.mean)
        && Arrays.equals(std, p.std) && scale == p.scale && channelOrder == p.channelOrder
        && resizeMode == p.resizeMode && cropFraction == p.cropFraction;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(mean), Arrays.hashCode(std), scale, channelOrder,
        resizeMode, cropFraction);
  }

  /** The keys of a spec string and how each sets the builder. */
  private enum SpecKey {
    MEAN {
      @Override
      void set(Builder b, String value, String source) {
        b.mean(numbers(value, source));
      }
    },
    STD {
      @Override
      void set(Builder b, String value, String source) {
        b.std(numbers(value, source));
      }
    },
    SCALE {
      @Override
      void set(Builder b, String value, String source) {
        b.scale(number(value, source));
      }
    },
    ORDER {
      @Override
      void set(Builder b, String value, String source) {
        b.channelOrder(choice("order", ChannelOrder.class, value, source, Enum::name));
      }
    },
    RESIZE {
      @Override
      void set(Builder b, String value, String source) {
        b.resizeMode(choice("resize", ResizeMode.class, value, source, ResizeMode::id));
      }
    },
    CROP {
      @Override
      void set(Builder b, String value, String source) {
        b.cropFraction(number(value, source));
      }
    };

    abstract void set(Builder b, String value, String source);

    static SpecKey of(String key, String source) {
      for (SpecKey k : values()) {
        if (k.name().equalsIgnoreCase(key)) {
          return k;
        }
      }
      throw new PreprocessingException(source + ": unknown key '" + key + "'; valid keys: "
          + String.join(", ", Arrays.stream(values())
              .map(k -> k.name().toLowerCase(Locale.ROOT)).toList()));
    }

    void apply(Builder b, String value, String source) {
      try {
        set(b, value, source);
      } catch (IllegalArgumentException e) {
        throw new PreprocessingException(source + ": " + e.getMessage(), e);
      }
    }

    private static double[] numbers(String value, String source) {
      String[] parts = value.split(",");
      double[] out = new double[parts.length];
      for (int i = 0; i < parts.length; i++) {
        out[i] = number(parts[i].trim(), source);
      }
      return out;
    }

    /** A decimal number or a fraction such as {@code 1/255}. */
    private static double number(String value, String source) {
      try {
        int slash = value.indexOf('/');
        return slash < 0 ? Double.parseDouble(value)
            : Double.parseDouble(value.substring(0, slash).trim())
                / Double.parseDouble(value.substring(slash + 1).trim());
      } catch (NumberFormatException e) {
        throw new PreprocessingException(source + ": '" + value + "' is not a number", e);
      }
    }

    private static <E extends Enum<E>> E choice(String key, Class<E> type, String value,
        String source, Function<E, String> id) {
      for (E e : type.getEnumConstants()) {
        if (id.apply(e).equalsIgnoreCase(value)) {
          return e;
        }
      }
      throw new PreprocessingException(source + ": " + key + " must be one of "
          + String.join(", ", Arrays.stream(type.getEnumConstants())
              .map(e -> id.apply(e).toLowerCase(Locale.ROOT)).toList()) + "; got '" + value + "'");
    }
  }

  /** Builder for {@link Preprocessing}; defaults give {@link #RAW}. */
  public static final class Builder {
    private double[] mean = {0, 0, 0};
    private double[] std = {1, 1, 1};
    private double scale = 1;
    private ChannelOrder channelOrder = ChannelOrder.RGB;
    private ResizeMode resizeMode = ResizeMode.SQUASH_BILINEAR;
    private double cropFraction = 0.875;

    private Builder() {
    }

    /** One value for all channels, or three in model channel order. */
    public Builder mean(double... values) {
      this.mean = perChannel("mean", values);
      return this;
    }

    /** One value for all channels, or three in model channel order; all non-zero. */
    public Builder std(double... values) {
      double[] s = perChannel("std", values);
      for (double v : s) {
        if (v == 0) {
          throw new IllegalArgumentException("std must not be 0, got " + Arrays.toString(values));
        }
      }
      this.std = s;
      return this;
    }

    /** Multiplies pixel values (0..255) by {@code scale} before the mean is subtracted. */
    public Builder scale(double scale) {
      if (!Double.isFinite(scale) || scale == 0) {
        throw new IllegalArgumentException("scale must be a finite non-zero number, got " + scale);
      }
      this.scale = scale;
      return this;
    }

    /** The order of the colour channels in the tensor. */
    public Builder channelOrder(ChannelOrder order) {
      this.channelOrder = Objects.requireNonNull(order, "order");
      return this;
    }

    /** How the photo is resized to the model input. */
    public Builder resizeMode(ResizeMode mode) {
      this.resizeMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** For {@link ResizeMode#CENTER_CROP}: input size / resized size, in (0, 1]. */
    public Builder cropFraction(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("crop fraction must be in (0, 1], got " + fraction);
      }
      this.cropFraction = fraction;
      return this;
    }

    private static double[] perChannel(String what, double[] values) {
      if (values.length != 1 && values.length != 3) {
        throw new IllegalArgumentException(what + " needs 1 or 3 values, got " + values.length);
      }
      for (double v : values) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException(what + " values must be finite, got "
              + Arrays.toString(values));
        }
      }
      return values.length == 3 ? values.clone() : new double[] {values[0], values[0], values[0]};
    }

    /** The preprocessing; fails when the settings do not fit together. */
    public Preprocessing build() {
      return new Preprocessing(this);
    }
  }
}
