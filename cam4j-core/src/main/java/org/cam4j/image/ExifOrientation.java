package org.cam4j.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The EXIF Orientation tag (0x0112) of a JPEG and the transform that makes the photo upright.
 * Constants are in tag order 1..8; each maps an output pixel to the stored pixel it shows.
 */
enum ExifOrientation {
  NORMAL(false),
  MIRROR_HORIZONTAL(false),
  ROTATE_180(false),
  MIRROR_VERTICAL(false),
  TRANSPOSE(true),
  ROTATE_90_CW(true),
  TRANSVERSE(true),
  ROTATE_90_CCW(true);

  private static final int ORIENTATION_TAG = 0x0112;
  private static final int TYPE_SHORT = 3;
  private static final byte[] EXIF_HEADER = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);

  private final boolean swapsAxes;

  ExifOrientation(boolean swapsAxes) {
    this.swapsAxes = swapsAxes;
  }

  /**
   * The orientation recorded in the APP1 Exif segment of a JPEG; {@link #NORMAL} for other
   * formats, JPEGs without the tag, and malformed or out-of-range values (EXIF is advisory
   * metadata: a broken tag must not make a decodable photo unreadable).
   */
  static ExifOrientation read(byte[] file) {
    if (file.length < 4 || (file[0] & 0xFF) != 0xFF || (file[1] & 0xFF) != 0xD8) {
      return NORMAL;
    }
    int pos = 2;
    while (pos + 4 <= file.length && (file[pos] & 0xFF) == 0xFF) {
      int marker = file[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++;
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return NORMAL;
      }
      int length = ((file[pos + 2] & 0xFF) << 8) | (file[pos + 3] & 0xFF);
      int payload = pos + 4;
      int end = pos + 2 + length;
      if (length < 2 || end > file.length) {
        return NORMAL;
      }
      if (marker == 0xE1 && startsWith(file, payload, end, EXIF_HEADER)) {
        return fromTiff(ByteBuffer.wrap(file, payload + EXIF_HEADER.length,
            end - payload - EXIF_HEADER.length).slice());
      }
      pos = end;
    }
    return NORMAL;
  }

  private static boolean startsWith(byte[] file, int from, int end, byte[] prefix) {
    if (end - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (file[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static ExifOrientation fromTiff(ByteBuffer tiff) {
    if (tiff.remaining() < 8) {
      return NORMAL;
    }
    int order = tiff.getShort(0);
    if (order == 0x4949) {
      tiff.order(ByteOrder.LITTLE_ENDIAN);
    } else if (order != 0x4D4D) {
      return NORMAL;
    }
    long ifd = Integer.toUnsignedLong(tiff.getInt(4));
    if (ifd + 2 > tiff.limit()) {
      return NORMAL;
    }
    int entries = Short.toUnsignedInt(tiff.getShort((int) ifd));
    for (int i = 0; i < entries; i++) {
      int entry = (int) ifd + 2 + 12 * i;
      if (entry + 12 > tiff.limit()) {
        return NORMAL;
      }
      if (Short.toUnsignedInt(tiff.getShort(entry)) == ORIENTATION_TAG
          && tiff.getShort(entry + 2) == TYPE_SHORT) {
        int value = Short.toUnsignedInt(tiff.getShort(entry + 8));
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
      }
    }
    return NORMAL;
  }

  /** A new upright image; {@code image} must be {@link BufferedImage#TYPE_INT_RGB}. */
  BufferedImage apply(BufferedImage image) {
    if (this == NORMAL) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int outW = swapsAxes ? h : w;
    int outH = swapsAxes ? w : h;
    int[] src = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        int sx;
        int sy;
        switch (this) {
          case MIRROR_HORIZONTAL -> { sx = w - 1 - x; sy = y; }
          case ROTATE_180 -> { sx = w - 1 - x; sy = h - 1 - y; }
          case MIRROR_VERTICAL -> { sx = x; sy = h - 1 - y; }
          case TRANSPOSE -> { sx = y; sy = x; }
          case ROTATE_90_CW -> { sx = y; sy = h - 1 - x; }
          case TRANSVERSE -> { sx = w - 1 - y; sy = h - 1 - x; }
          case ROTATE_90_CCW -> { sx = w - 1 - y; sy = x; }
          default -> throw new AssertionError(this);
        }
        dst[y * outW + x] = src[sy * w + sx];
      }
    }
    return out;
  }
}
