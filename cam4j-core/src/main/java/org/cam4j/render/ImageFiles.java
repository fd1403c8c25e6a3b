package org.cam4j.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cam4j.InvalidInputException;
import org.cam4j.internal.io.AtomicFiles;

/**
 * Saves pictures as PNG or JPEG (quality {@value #JPEG_QUALITY}), chosen by the file extension.
 * The file is encoded in memory and moved into place atomically, so an interrupted or failed save
 * never leaves a partial file; missing folders are created.
 */
public final class ImageFiles {
  /** JPEG quality used for {@code .jpg} and {@code .jpeg} files (0..1). */
  public static final float JPEG_QUALITY = 0.92f;

  private ImageFiles() {
  }

  /** Writes {@code image} to {@code file} ({@code .png}, {@code .jpg} or {@code .jpeg}). */
  public static void save(BufferedImage image, Path file) {
    byte[] bytes = encode(image, file);
    checkFolder(file);
    AtomicFiles.write(file, bytes);
  }

  /** The bytes {@link #save} would write, in the format {@code file}'s extension names. */
  public static byte[] encode(BufferedImage image, Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      return encode(image, "png", null);
    }
    if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return encode(opaque(image), "jpeg", JPEG_QUALITY);
    }
    throw new InvalidInputException("cannot save " + file + ": use a .png, .jpg or .jpeg name");
  }

  /** Explains the usual folder problems before the write reports a bare path. */
  public static void checkFolder(Path file) {
    Path folder = file.toAbsolutePath().getParent();
    while (folder != null && !Files.exists(folder)) {
      folder = folder.getParent();
    }
    if (folder == null) {
      return;
    }
    if (!Files.isDirectory(folder)) {
      throw new ImageWriteException("cannot save " + file + ": " + folder
          + " is a file, not a folder");
    }
    if (!Files.isWritable(folder)) {
      throw new ImageWriteException("cannot save " + file + ": folder " + folder
          + " is not writable");
    }
  }

  /** JPEG has no alpha: composite over white, as {@link org.cam4j.image.ImageLoader} does. */
  private static BufferedImage opaque(BufferedImage image) {
    if (!image.getColorModel().hasAlpha()) {
      return image;
    }
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  private static byte[] encode(BufferedImage image, String format, Float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (quality != null) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new ImageWriteException("cannot encode the picture as " + format + ": "
          + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
