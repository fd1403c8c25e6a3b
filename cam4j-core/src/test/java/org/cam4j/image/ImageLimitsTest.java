package org.cam4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile files are refused or bounded before they can exhaust memory or time. */
class ImageLimitsTest {
  @TempDir
  Path dir;

  @Test
  void pipesAndDevicesAreRefusedUnopened() throws IOException, InterruptedException {
    Path fifo = dir.resolve("photo.jpg");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor());
    // opening a FIFO with no writer blocks forever, /dev/zero never ends: refused by type
    for (Path p : new Path[] {fifo, Path.of("/dev/zero")}) {
      ImageLoadException e = assertThrows(ImageLoadException.class,
          () -> ImageLoader.defaults().load(p));
      assertEquals(p + " is not a regular file (a pipe or device), not an image file",
          e.getMessage());
    }
  }

  @Test
  void fileOverTheByteLimitIsRefusedBeforeReading() throws IOException {
    // a sparse 3 GB file: reading it whole failed with "Required array size too large"
    Path huge = dir.resolve("huge.png");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    ImageLoadException e = assertThrows(ImageLoadException.class,
        () -> ImageLoader.defaults().load(huge));
    assertEquals(huge + " is too large: 3221225472 bytes, the limit for an image file is"
        + " 536870912 bytes", e.getMessage());
    byte[] png = png16Rgba(4, 4, 0x1234, 0x5678, 0x9ABC, 0xFFFF);
    ImageLoader small = ImageLoader.builder().maxFileBytes(png.length - 1).build();
    assertEquals("p.png is too large: " + png.length + " bytes, the limit for an image file is "
        + (png.length - 1) + " bytes",
        assertThrows(ImageLoadException.class, () -> small.load(png, "p.png")).getMessage());
  }

  /**
   * A 16-bit RGBA PNG of one colour written chunk by chunk: each row (filter byte 0, then
   * width x 8 bytes) is streamed through the deflater, so a huge constant image is a small file
   * and never a big array here.
   */
  static byte[] png16Rgba(int width, int height, int r, int g, int b, int a) throws IOException {
    byte[] row = new byte[1 + width * 8];
    for (int x = 0; x < width; x++) {
      int[] samples = {r, g, b, a};
      for (int c = 0; c < 4; c++) {
        row[1 + x * 8 + c * 2] = (byte) (samples[c] >> 8);
        row[1 + x * 8 + c * 2 + 1] = (byte) samples[c];
      }
    }
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat,
        new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    }
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 16).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(png, "IHDR", ihdr.array());
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(name).put(data).putInt((int) crc.getValue());
    png.writeBytes(b.array());
  }

  @Test
  void photoOverTheDecodeBudgetIsDecodedSubsampled() throws IOException {
    // 2000x1500 16-bit RGBA: 8 bytes a pixel decoded + 8 for the RGB copies = 48 MB
    byte[] png = png16Rgba(2000, 1500, 200 * 257, 100 * 257, 50 * 257, 65535);
    BufferedImage full = ImageLoader.builder().maxDecodeBytes(64L << 20).build()
        .load(png, "big.png");
    assertEquals(2000, full.getWidth());
    assertEquals(1500, full.getHeight());
    // 20 MB fits every second pixel of every second row: 1000x750 x 16 bytes = 12 MB
    BufferedImage half = ImageLoader.builder().maxDecodeBytes(20L << 20).build()
        .load(png, "big.png");
    assertEquals(1000, half.getWidth());
    assertEquals(750, half.getHeight());
    assertEquals(BufferedImage.TYPE_INT_RGB, half.getType());
    assertEquals(0xC86432, half.getRGB(999, 749) & 0xFFFFFF);
    // 4 MB: factor 4 gives 500x375 x 16 = 3 MB
    BufferedImage quarter = ImageLoader.builder().maxDecodeBytes(4L << 20).build()
        .load(png, "big.png");
    assertEquals(500, quarter.getWidth());
  }

  @Test
  void budgetSmallerThanTheFileIsAClearError() throws IOException {
    byte[] png = png16Rgba(8, 8, 0, 0, 0, 65535);
    ImageLoadException e = assertThrows(ImageLoadException.class,
        () -> ImageLoader.builder().maxDecodeBytes(16).build().load(png, "p.png"));
    assertEquals("p.png cannot be decoded within the memory budget: the file alone is "
        + png.length + " bytes, the budget 16 bytes", e.getMessage());
  }

  /** A 64x48 gradient as a progressive JPEG (libjpeg's default script: 10 scans for colour). */
  static byte[] progressiveJpeg() throws IOException {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 128);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** The JPEG with its last scan (SOS header and data) repeated {@code extra} more times. */
  private static byte[] withRepeatedLastScan(byte[] jpeg, int extra) {
    int lastSos = -1;
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
        lastSos = i;
      }
    }
    int eoi = jpeg.length - 2;
    byte[] scan = Arrays.copyOfRange(jpeg, lastSos, eoi);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, eoi);
    for (int i = 0; i < extra; i++) {
      out.writeBytes(scan);
    }
    out.write(jpeg, eoi, 2);
    return out.toByteArray();
  }

  @Test
  void scansAreCountedBeforeDecoding() throws IOException {
    byte[] jpeg = progressiveJpeg();
    assertEquals(10, JpegStructure.read(jpeg, "p.jpg", 1000).scans());
    assertEquals(64, JpegStructure.read(jpeg, "p.jpg", 1000).width());
    assertEquals(48, JpegStructure.read(jpeg, "p.jpg", 1000).height());
    assertEquals(64, ImageLoader.builder().maxJpegScans(10).build().load(jpeg, "p.jpg")
        .getWidth());
    assertEquals("p.jpg is a JPEG with more than 9 scans; cam4j decodes at most 9 (a crafted"
        + " progressive JPEG with thousands of tiny scans takes minutes to decode)",
        assertThrows(ImageLoadException.class, () -> ImageLoader.builder().maxJpegScans(9)
            .build().load(jpeg, "p.jpg")).getMessage());
    // the probe's scan bomb: 5000 scans
    byte[] bomb = withRepeatedLastScan(jpeg, 4990);
    assertEquals(5000, JpegStructure.read(bomb, "bomb.jpg", 10000).scans());
    assertTrue(assertThrows(ImageLoadException.class,
        () -> ImageLoader.defaults().load(bomb, "bomb.jpg")).getMessage()
        .startsWith("bomb.jpg is a JPEG with more than 256 scans;"));
  }

  @Test
  void scansTimesPixelsIsBounded() throws IOException {
    // 10 scans x 64x48 = 30720 scan-pixels; a 1500-pixel limit allows 20 x 1500 = 30000
    byte[] jpeg = progressiveJpeg();
    ImageLoader tight = ImageLoader.builder().maxPixels(3072).build();
    assertEquals(64, tight.load(jpeg, "p.jpg").getWidth());
    ImageLoader tighter = ImageLoader.builder().maxPixels(1500).build();
    assertEquals("p.jpg is a JPEG of 10 scans over 64x48 pixels, more decoding work than 20 full"
        + " scans at the 0.0 megapixel limit", assertThrows(ImageLoadException.class,
            () -> tighter.load(jpeg, "p.jpg")).getMessage());
  }

  @Test
  void truncationIsFoundFromTheMarkersBeforeDecoding() throws IOException {
    byte[] jpeg = progressiveJpeg();
    int firstSos = -1;
    for (int i = 0; i + 1 < jpeg.length && firstSos < 0; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
        firstSos = i;
      }
    }
    String[][] cases = {
        {"5", "the data ends inside a segment header"},
        {"10", "the data ends inside a marker segment (0xFFE0)"},
        {String.valueOf(firstSos + 20), "the data ends inside scan 1"},
        {String.valueOf(jpeg.length - 2), "the data ends inside scan 10"},
    };
    for (String[] c : cases) {
      byte[] cut = Arrays.copyOf(jpeg, Integer.parseInt(c[0]));
      assertEquals("cut.jpg is a truncated JPEG image (" + c[1] + ")",
          assertThrows(ImageLoadException.class,
              () -> ImageLoader.defaults().load(cut, "cut.jpg")).getMessage(), "cut at " + c[0]);
    }
  }

  @Test
  void restartMarkersAndStuffedBytesStayInsideTheScan() {
    // SOI, SOF0 8x8 one component, SOS, data with FF00 and RST0, EOI
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8,
        (byte) 0xFF, (byte) 0xC0, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0,
        (byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 63, 0,
        0x12, (byte) 0xFF, 0, 0x34, (byte) 0xFF, (byte) 0xD0, 0x56,
        (byte) 0xFF, (byte) 0xD9};
    JpegStructure s = JpegStructure.read(jpeg, "t.jpg", 10);
    assertEquals(1, s.scans());
    assertEquals(8, s.width());
  }
}
