package org.cam4j.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.cam4j.image.ImageLoadException;
import org.cam4j.image.ImageLoader;

/**
 * Reads a row's photo: encoded bytes from a binary column, or the file a string column names
 * (local paths through cam4j's loader, other URIs such as {@code hdfs:} or {@code s3a:} through
 * Hadoop's file systems). Errors are cam4j's, worded as {@code cam4j explain} words them.
 */
final class PhotoSource {
  private static final ImageLoader LOADER = ImageLoader.defaults();

  private PhotoSource() {
  }

  /** The name {@code cam4j explain} would use: a {@code file:} URI as a plain path. */
  static String displayName(String location) {
    if (location == null || !location.startsWith("file:")) {
      return location;
    }
    String rest = location.substring("file:".length());
    return rest.startsWith("//") ? rest.substring(2) : rest;
  }

  /** Decodes encoded photo bytes; {@code name} is for error messages. */
  static BufferedImage decode(byte[] bytes, String name) {
    if (bytes == null) {
      throw new ImageLoadException((name == null ? "a row" : name) + " has no image bytes");
    }
    return LOADER.load(bytes, name == null ? "image data" : name);
  }

  /** Reads and decodes the photo at {@code location}, a local path or a Hadoop URI. */
  static BufferedImage read(String location) {
    if (location == null) {
      throw new ImageLoadException("a row has no image path");
    }
    String local = displayName(location);
    if (!local.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return LOADER.load(Path.of(local));
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
    try (InputStream in = path.getFileSystem(new Configuration()).open(path)) {
      return LOADER.load(in.readAllBytes(), location);
    } catch (java.io.FileNotFoundException e) {
      throw new ImageLoadException("image file not found: " + location, e);
    } catch (IOException e) {
      throw new ImageLoadException("cannot read image file " + location + ": " + e.getMessage(),
          e);
    }
  }
}
