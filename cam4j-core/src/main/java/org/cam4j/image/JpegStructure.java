package org.cam4j.image;

/**
 * What one cheap pass over a JPEG's markers tells before any decoding: its size, how many scans
 * (SOS segments) it holds, and that it is complete. A progressive JPEG can hold thousands of
 * tiny scans in a small file, each costing a pass over every block of the image (a "scan bomb":
 * 5000 scans in 120 KB take 20 s to decode); a truncated one would be decoded in full before
 * the decoder's warning reports it. Both are found here from the bytes alone.
 *
 * @param scans the number of SOS segments
 * @param width the frame width from the SOF segment (0 when there is none)
 * @param height the frame height from the SOF segment
 */
record JpegStructure(int scans, long width, long height) {
  private static final int SOS = 0xDA;
  private static final int EOI = 0xD9;

  /** Whether {@code bytes} start with the JPEG start-of-image marker. */
  static boolean isJpeg(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8;
  }

  /**
   * Walks the marker segments and the entropy-coded data of each scan up to the end-of-image
   * marker, as a decoder would find them.
   *
   * @throws ImageLoadException when the data ends before the end-of-image marker, or when the
   *     file holds more than {@code maxScans} scans (counting stops there)
   */
  static JpegStructure read(byte[] b, String name, int maxScans) {
    int scans = 0;
    long width = 0;
    long height = 0;
    int pos = 2;
    while (true) {
      while (pos < b.length && (b[pos] & 0xFF) != 0xFF) {
        pos++; // garbage between segments: libjpeg skips it with a warning
      }
      while (pos + 1 < b.length && (b[pos + 1] & 0xFF) == 0xFF) {
        pos++; // fill bytes before a marker
      }
      if (pos + 1 >= b.length) {
        throw truncated(name, "before the end-of-image marker");
      }
      int marker = b[pos + 1] & 0xFF;
      if (marker == EOI) {
        return new JpegStructure(scans, width, height);
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        pos += 2; // markers without a length
        continue;
      }
      if (pos + 4 > b.length) {
        throw truncated(name, "inside a segment header");
      }
      int length = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
      int end = pos + 2 + length;
      if (length < 2 || end > b.length) {
        throw truncated(name, "inside a marker segment (0xFF" + Integer.toHexString(marker)
            .toUpperCase(java.util.Locale.ROOT) + ")");
      }
      if (isFrameHeader(marker) && length >= 7) {
        height = ((b[pos + 5] & 0xFF) << 8) | (b[pos + 6] & 0xFF);
        width = ((b[pos + 7] & 0xFF) << 8) | (b[pos + 8] & 0xFF);
      }
      pos = end;
      if (marker == SOS) {
        if (++scans > maxScans) {
          throw new ImageLoadException(name + " is a JPEG with more than " + maxScans
              + " scans; cam4j decodes at most " + maxScans + " (a crafted progressive JPEG"
              + " with thousands of tiny scans takes minutes to decode)");
        }
        pos = endOfEntropyData(b, pos);
        if (pos < 0) {
          throw truncated(name, "inside scan " + scans);
        }
      }
    }
  }

  /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
  private static boolean isFrameHeader(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
        && marker != 0xCC;
  }

  /**
   * The position of the marker that ends a scan's entropy-coded data, skipping stuffed zero
   * bytes (FF 00) and restart markers (FF D0..D7); -1 when the data ends first.
   */
  private static int endOfEntropyData(byte[] b, int pos) {
    for (int i = pos; i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF) {
        int next = b[i + 1] & 0xFF;
        if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
          return i;
        }
      }
    }
    return -1;
  }

  private static ImageLoadException truncated(String name, String where) {
    return new ImageLoadException(name + " is a truncated JPEG image (the data ends " + where
        + ")");
  }
}
