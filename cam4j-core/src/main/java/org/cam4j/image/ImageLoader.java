package org.cam4j.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.cam4j.InvalidInputException;

/**
 * Reads a photo (JPEG, PNG, BMP, GIF, WebP) into 8-bit RGB, the form every cam4j step expects.
 *
 * <p>The result is always {@link BufferedImage#TYPE_INT_RGB}: grayscale, palette, CMYK and 16-bit
 * images are converted, transparency is composited over white, and the JPEG EXIF orientation is
 * applied so the image is upright as a viewer shows it.
 *
 * <p>Resources are bounded before anything large is allocated, so a hostile file gets an
 * {@link ImageLoadException}, never an {@link OutOfMemoryError} or a hang:
 * <ul>
 *   <li>only regular files are read (a FIFO or {@code /dev/zero} is refused unopened), and at
 *       most {@link #maxFileBytes()} of them;</li>
 *   <li>the header dimensions are checked against {@link #maxPixels()} (a small file claiming a
 *       huge size, a decompression bomb, is refused);</li>
 *   <li>the memory decoding needs (file, decoded raster at the decoder's bands and bit depth,
 *       8-bit RGB copies) is estimated from the header and kept within
 *       {@link #maxDecodeBytes()}: a photo that would exceed it is decoded subsampled by the
 *       smallest whole factor that fits (a 10000x9999 16-bit RGBA PNG at half resolution; the
 *       network input is a few hundred pixels wide anyway);</li>
 *   <li>JPEGs are walked marker by marker first: more than {@link #maxJpegScans()} scans, scans
 *       x pixels above 20 full scans at {@link #maxPixels()}, or data ending before the
 *       end-of-image marker is refused before decoding.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class ImageLoader {
  /** 100 megapixels: a 12000x8000 photo passes, a 20000x20000 header does not. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
  /** 512 MiB: far above any camera file, far below what a 100 MP decode needs anyway. */
  public static final long DEFAULT_MAX_FILE_BYTES = 512L << 20;
  /**
   * 256 scans, the progressive-JPEG limit of NVIDIA nvImageCodec ({@code
   * NVIMGCODEC_MAX_JPEG_SCANS}), set after the libjpeg-turbo audit's scan-bomb finding; encoders'
   * progressive scripts use about 10 scans (libjpeg's default for colour).
   */
  public static final int DEFAULT_MAX_JPEG_SCANS = 256;
  /**
   * Each scan is a pass over every block: scans x pixels is the decode work. 20 passes at the
   * pixel limit admit a 100 MP photo with libjpeg's 10-scan progressive script, and 256 scans up
   * to 7.8 MP at the default limit.
   */
  private static final long SCAN_WORK_PER_PIXEL_LIMIT = 20;
  /** Bytes that always fit in a Java array. */
  private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
  /** The INT_RGB result and one more copy of it (EXIF rotation) are held with the raster. */
  private static final int RGB_COPIES_BYTES_PER_PIXEL = 8;

  private final long maxPixels;
  private final long maxFileBytes;
  private final long maxDecodeBytes;
  private final int maxJpegScans;

  private ImageLoader(Builder b) {
    this.maxPixels = b.maxPixels;
    this.maxFileBytes = b.maxFileBytes;
    this.maxDecodeBytes = b.maxDecodeBytes;
    this.maxJpegScans = b.maxJpegScans;
  }

  /** A loader with the default limits. */
  public static ImageLoader defaults() {
    return builder().build();
  }

  /** A builder starting from the default limits. */
  public static Builder builder() {
    return new Builder();
  }

  /** The largest width x height accepted. */
  public long maxPixels() {
    return maxPixels;
  }

  /** The largest image file read. */
  public long maxFileBytes() {
    return maxFileBytes;
  }

  /** The memory a decode may take; larger photos are decoded subsampled. */
  public long maxDecodeBytes() {
    return maxDecodeBytes;
  }

  /** The most scans (SOS segments) a JPEG may hold. */
  public int maxJpegScans() {
    return maxJpegScans;
  }

  /**
   * Reads and decodes an image file.
   *
   * @throws ImageLoadException when the file is missing, not a regular file, too large, not an
   *     image, corrupt or truncated
   */
  public BufferedImage load(Path file) {
    if (Files.isDirectory(file)) {
      throw new ImageLoadException(file + " is a folder, not an image file");
    }
    if (!Files.exists(file)) {
      throw new ImageLoadException("image file not found: " + file);
    }
    if (!Files.isRegularFile(file)) {
      throw new ImageLoadException(file + " is not a regular file (a pipe or device), not an"
          + " image file");
    }
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > maxFileBytes) {
        throw tooLargeFile(file.toString(), size);
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) maxFileBytes + 1);
      }
    } catch (NoSuchFileException e) {
      throw new ImageLoadException("image file not found: " + file, e);
    } catch (AccessDeniedException e) {
      throw new ImageLoadException("cannot read image file " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new ImageLoadException("cannot read image file " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length > maxFileBytes) {
      throw tooLargeFile(file.toString(), bytes.length);
    }
    return load(bytes, file.toString());
  }

  private ImageLoadException tooLargeFile(String name, long size) {
    return new ImageLoadException(String.format(Locale.ROOT,
        "%s is too large: %d bytes, the limit for an image file is %d bytes", name, size,
        maxFileBytes));
  }

  /** Decodes an image held in memory; see {@link #load(byte[], String)}. */
  public BufferedImage load(byte[] bytes) {
    return load(bytes, "image data");
  }

  /**
   * Decodes {@code bytes}; {@code name} (a file name, a URL) is only used in error messages.
   *
   * @throws ImageLoadException when the bytes are not an image, corrupt, truncated or too large
   */
  public BufferedImage load(byte[] bytes, String name) {
    if (bytes.length == 0) {
      throw new ImageLoadException(name + " is empty (0 bytes), not an image");
    }
    if (bytes.length > maxFileBytes) {
      throw tooLargeFile(name, bytes.length);
    }
    if (JpegStructure.isJpeg(bytes)) {
      JpegStructure jpeg = JpegStructure.read(bytes, name, maxJpegScans);
      if (jpeg.scans() * jpeg.width() * jpeg.height() > SCAN_WORK_PER_PIXEL_LIMIT * maxPixels) {
        throw new ImageLoadException(String.format(Locale.ROOT,
            "%s is a JPEG of %d scans over %dx%d pixels, more decoding work than %d full scans"
                + " at the %.1f megapixel limit", name, jpeg.scans(), jpeg.width(),
            jpeg.height(), SCAN_WORK_PER_PIXEL_LIMIT, maxPixels / 1e6));
      }
    }
    try {
      BufferedImage decoded = decode(bytes, name);
      return ExifOrientation.read(bytes).apply(RgbConversion.toRgb(decoded));
    } catch (OutOfMemoryError e) {
      throw new ImageLoadException(name + " needs more memory to decode than the Java heap has"
          + " free (" + (Runtime.getRuntime().maxMemory() >> 20) + " MiB at most); lower the"
          + " decode budget or raise -Xmx", e);
    }
  }

  private BufferedImage decode(byte[] bytes, String name) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      return decode(in, name, bytes.length);
    } catch (IOException e) {
      throw new ImageLoadException("cannot read " + name + ": " + describe(e), e);
    }
  }

  private BufferedImage decode(ImageInputStream in, String name, long fileBytes) {
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
      ImageReadParam param = reader.getDefaultReadParam();
      int step = subsampling(name, width, height, rasterBytesPerPixel(reader, name), fileBytes);
      if (step > 1) {
        param.setSourceSubsampling(step, step, 0, 0);
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
      BufferedImage image = decoding(name, () -> reader.read(0, param));
      if (!truncation.isEmpty()) {
        throw new ImageLoadException(name + " is a truncated " + format + " image ("
            + truncation.get(0) + ")");
      }
      return image;
    } finally {
      reader.dispose();
    }
  }

  /**
   * The smallest whole subsampling factor whose decode fits {@link #maxDecodeBytes}: the file,
   * the decoded raster and the 8-bit RGB copies of {@code ceil(w/s) x ceil(h/s)} pixels.
   */
  private int subsampling(String name, long width, long height, long rasterBytesPerPixel,
      long fileBytes) {
    long perPixel = rasterBytesPerPixel + RGB_COPIES_BYTES_PER_PIXEL;
    for (int s = 1; s <= Math.max(width, height); s++) {
      long w = (width + s - 1) / s;
      long h = (height + s - 1) / s;
      long raster = w * h * perPixel;
      if (fileBytes + raster <= maxDecodeBytes && w * h * rasterBytesPerPixel <= MAX_ARRAY_BYTES
          && w * h * Integer.BYTES <= MAX_ARRAY_BYTES) {
        return s;
      }
    }
    throw new ImageLoadException(String.format(Locale.ROOT,
        "%s cannot be decoded within the memory budget: the file alone is %d bytes, the budget"
            + " %d bytes", name, fileBytes, maxDecodeBytes));
  }

  /** Bytes per pixel of the raster the reader decodes into (bands x sample size). */
  private static long rasterBytesPerPixel(ImageReader reader, String name) {
    ImageTypeSpecifier type = decoding(name, () -> {
      Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
      return types.hasNext() ? types.next() : reader.getRawImageType(0);
    });
    if (type == null) {
      return Integer.BYTES;
    }
    SampleModel model = type.getSampleModel();
    long bits = (long) model.getNumDataElements() * DataBuffer.getDataTypeSize(model.getDataType());
    return Math.max(1, (bits + 7) / 8);
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
    private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
    private long maxDecodeBytes = Runtime.getRuntime().maxMemory() / 4;
    private int maxJpegScans = DEFAULT_MAX_JPEG_SCANS;

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

    /** Refuse image files larger than {@code bytes} before reading them (at most 2 GB). */
    public Builder maxFileBytes(long bytes) {
      if (bytes < 1 || bytes > MAX_ARRAY_BYTES) {
        throw new InvalidInputException("max file bytes must be 1.." + MAX_ARRAY_BYTES
            + ", got " + bytes);
      }
      this.maxFileBytes = bytes;
      return this;
    }

    /**
     * The memory one decode may take (default: a quarter of the maximum heap); photos that
     * would need more are decoded subsampled.
     */
    public Builder maxDecodeBytes(long bytes) {
      if (bytes < 1) {
        throw new InvalidInputException("max decode bytes must be >= 1, got " + bytes);
      }
      this.maxDecodeBytes = bytes;
      return this;
    }

    /** Refuse JPEGs holding more than {@code scans} scans (SOS segments). */
    public Builder maxJpegScans(int scans) {
      if (scans < 1) {
        throw new InvalidInputException("max JPEG scans must be >= 1, got " + scans);
      }
      this.maxJpegScans = scans;
      return this;
    }

    /** The loader with the limits set so far. */
    public ImageLoader build() {
      return new ImageLoader(this);
    }
  }
}
