package org.cam4j.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.cam4j.InvalidInputException;

/**
 * Reads a photo (JPEG, PNG, BMP, GIF, WebP) into 8-bit RGB, the form every cam4j step expects.
 *
 * <p>The result is always {@link BufferedImage#TYPE_INT_RGB}: grayscale, palette, CMYK and 16-bit
 * images are converted, transparency is composited over white, and the JPEG EXIF orientation is
 * applied so the image is upright as a viewer shows it. The header dimensions are checked against
 * {@link #maxPixels()} before any pixel is decoded, so a small file that claims a huge size
 * (a decompression bomb) is refused without allocating its pixels. Immutable and thread-safe.
 */
public final class ImageLoader {
  /** 100 megapixels: a 12000x8000 photo passes, a 20000x20000 header does not. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  private final long maxPixels;

  private ImageLoader(Builder b) {
    this.maxPixels = b.maxPixels;
  }

  /** A loader with the default limits. */
  public static ImageLoader defaults() {
    return builder().build();
  }

  /** Starts a builder with the default limits. */
  public static Builder builder() {
    return new Builder();
  }

  /** The largest width x height accepted. */
  public long maxPixels() {
    return maxPixels;
  }

  /** Reads and decodes the photo at {@code file} as RGB, EXIF orientation applied. */
  public BufferedImage load(Path file) {
    if (Files.isDirectory(file)) {
      throw new ImageLoadException(file + " is a folder, not an image file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ImageLoadException("image file not found: " + file, e);
    } catch (IOException e) {
      throw new ImageLoadException("cannot read image file " + file + ": " + e.getMessage(), e);
    }
    return load(bytes, file.toString());
  }

  /** Decodes an encoded photo (PNG, JPEG, ...) as RGB, EXIF orientation applied. */
  public BufferedImage load(byte[] bytes) {
    return load(bytes, "image data");
  }

  /** Decodes {@code bytes}; {@code name} (a file name, a URL) is only used in error messages. */
  public BufferedImage load(byte[] bytes, String name) {
    if (bytes.length == 0) {
      throw new ImageLoadException(name + " is empty (0 bytes), not an image");
    }
    BufferedImage decoded = decode(bytes, name);
    return ExifOrientation.read(bytes).apply(RgbConversion.toRgb(decoded));
  }

  private BufferedImage decode(byte[] bytes, String name) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      return decode(in, name);
    } catch (IOException e) {
      throw new ImageLoadException("cannot read " + name + ": " + describe(e), e);
    }
  }

  private BufferedImage decode(ImageInputStream in, String name) {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new ImageLoadException(name + " is not an image cam4j can read (supported: JPEG, PNG,"
          + " BMP, GIF, WebP)");
    }
    ImageReader reader = readers.next();
    try {
      reader.setInput(in, true, true);
      String format = decoding(name, reader::getFormatName).toUpperCase(Locale.ROOT);
      long width = decoding(name, () -> reader.getWidth(0));
      long height = decoding(name, () -> reader.getHeight(0));
      if (width * height > maxPixels) {
        throw new ImageLoadException(String.format(Locale.ROOT,
            "%s is too large: %dx%d = %.1f megapixels, the limit is %.1f megapixels",
            name, width, height, width * height / 1e6, maxPixels / 1e6));
      }
      List<String> truncation = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> {
        // a truncated JPEG is only reported as a warning (TwelveMonkeys: "Truncated File",
        // libjpeg: "premature end of data segment"), and the missing part is decoded as grey
        String text = warning.toLowerCase(Locale.ROOT);
        if (text.contains("truncated") || text.contains("premature end")) {
          truncation.add(warning);
        }
      });
      BufferedImage image = decoding(name, () -> reader.read(0));
      if (!truncation.isEmpty()) {
        throw new ImageLoadException(name + " is a truncated " + format + " image ("
            + truncation.get(0) + ")");
      }
      return image;
    } finally {
      reader.dispose();
    }
  }

  /** Runs a decoder call; what decoders throw on bad data becomes an {@link ImageLoadException}. */
  private static <T> T decoding(String name, DecoderCall<T> call) {
    try {
      return call.run();
    } catch (IOException | RuntimeException e) {
      throw new ImageLoadException(name + " is a corrupt or truncated image: " + describe(e), e);
    }
  }

  @FunctionalInterface
  private interface DecoderCall<T> {
    T run() throws IOException;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(message)) {
      message = (message == null ? "" : message + ": ") + cause.getMessage();
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** Builder for {@link ImageLoader}. */
  public static final class Builder {
    private long maxPixels = DEFAULT_MAX_PIXELS;

    private Builder() {
    }

    /** Refuse images whose header claims more than {@code pixels} (width x height). */
    public Builder maxPixels(long pixels) {
      if (pixels < 1) {
        throw new InvalidInputException("max pixels must be >= 1, got " + pixels);
      }
      this.maxPixels = pixels;
      return this;
    }

    /** The loader with these limits. */
    public ImageLoader build() {
      return new ImageLoader(this);
    }
  }
}
