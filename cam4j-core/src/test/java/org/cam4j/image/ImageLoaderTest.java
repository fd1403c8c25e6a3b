package org.cam4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cam4j.InvalidInputException;
import org.cam4j.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class ImageLoaderTest {
  private static final ImageLoader LOADER = ImageLoader.defaults();
  private static final int RED = 0xFF0000;
  private static final int GREEN = 0x00FF00;
  private static final int BLUE = 0x0000FF;
  private static final int WHITE = 0xFFFFFF;

  @TempDir
  Path dir;

  @Test
  void readsSharedPhotosAsIntRgb() {
    BufferedImage cat = LOADER.load(SharedData.path("images/cat.png"));
    assertEquals(BufferedImage.TYPE_INT_RGB, cat.getType());
    assertEquals(512, cat.getWidth());
    assertEquals(341, cat.getHeight());
    BufferedImage dog = LOADER.load(SharedData.path("images/dog.jpg"));
    assertEquals(BufferedImage.TYPE_INT_RGB, dog.getType());
    assertEquals(768, dog.getWidth());
    assertEquals(576, dog.getHeight());
  }

  /** Stored 32x16: quadrants red (top left), green (top right), blue, white (bottom right). */
  private static BufferedImage quadrants() {
    BufferedImage image = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        image.setRGB(x, y, y < 8 ? (x < 16 ? RED : GREEN) : (x < 16 ? BLUE : WHITE));
      }
    }
    return image;
  }

  /** A JPEG of {@link #quadrants()} with an APP1 Exif segment holding only Orientation. */
  private static byte[] jpegWithOrientation(int orientation, boolean littleEndian)
      throws IOException {
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(quadrants(), "jpeg", jpeg);
    byte[] plain = jpeg.toByteArray();
    ByteBuffer tiff = ByteBuffer.allocate(26)
        .order(littleEndian ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
    tiff.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
    tiff.putShort((short) 42).putInt(8);
    tiff.putShort((short) 1);
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1)
        .putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0);
    byte[] exif = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    int length = 2 + exif.length + tiff.capacity();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 2);
    out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
    out.write(exif);
    out.write(tiff.array());
    out.write(plain, 2, plain.length - 2);
    return out.toByteArray();
  }

  private static int nearest(int rgb) {
    int best = 0;
    int bestDistance = Integer.MAX_VALUE;
    for (int candidate : new int[] {RED, GREEN, BLUE, WHITE}) {
      int d = 0;
      for (int shift = 0; shift <= 16; shift += 8) {
        d += Math.abs(((rgb >> shift) & 0xFF) - ((candidate >> shift) & 0xFF));
      }
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    assertTrue(bestDistance < 40, "JPEG colour " + Integer.toHexString(rgb) + " is far from all");
    return best;
  }

  @ParameterizedTest(name = "orientation {0}")
  @CsvSource({
      "1, 32, 16, FF0000, 00FF00, 0000FF, FFFFFF",
      "2, 32, 16, 00FF00, FF0000, FFFFFF, 0000FF",
      "3, 32, 16, FFFFFF, 0000FF, 00FF00, FF0000",
      "4, 32, 16, 0000FF, FFFFFF, FF0000, 00FF00",
      "5, 16, 32, FF0000, 0000FF, 00FF00, FFFFFF",
      "6, 16, 32, 0000FF, FF0000, FFFFFF, 00FF00",
      "7, 16, 32, FFFFFF, 00FF00, 0000FF, FF0000",
      "8, 16, 32, 00FF00, FFFFFF, FF0000, 0000FF"})
  void appliesExifOrientation(int orientation, int width, int height, String topLeft,
      String topRight, String bottomLeft, String bottomRight) throws IOException {
    for (boolean littleEndian : new boolean[] {false, true}) {
      BufferedImage image = LOADER.load(jpegWithOrientation(orientation, littleEndian));
      assertEquals(width, image.getWidth());
      assertEquals(height, image.getHeight());
      int[] corners = {nearest(image.getRGB(2, 2)), nearest(image.getRGB(width - 3, 2)),
          nearest(image.getRGB(2, height - 3)), nearest(image.getRGB(width - 3, height - 3))};
      int[] expected = Arrays.stream(new String[] {topLeft, topRight, bottomLeft, bottomRight})
          .mapToInt(s -> Integer.parseInt(s, 16)).toArray();
      assertEquals(Arrays.toString(expected), Arrays.toString(corners),
          "corners for orientation " + orientation);
    }
  }

  @Test
  void textFileNamedPngIsNotAnImage() throws IOException {
    Path fake = dir.resolve("notes.png");
    Files.writeString(fake, "this is a text file, not a picture\n");
    ImageLoadException e = assertThrows(ImageLoadException.class, () -> LOADER.load(fake));
    assertEquals(fake + " is not an image cam4j can read (supported: JPEG, PNG, BMP, GIF, WebP)",
        e.getMessage());
  }

  @Test
  void missingFileAndEmptyFileAndFolder() throws IOException {
    Path missing = dir.resolve("missing.jpg");
    assertEquals("image file not found: " + missing,
        assertThrows(ImageLoadException.class, () -> LOADER.load(missing)).getMessage());
    Path empty = Files.createFile(dir.resolve("empty.jpg"));
    assertEquals(empty + " is empty (0 bytes), not an image",
        assertThrows(ImageLoadException.class, () -> LOADER.load(empty)).getMessage());
    assertEquals(dir + " is a folder, not an image file",
        assertThrows(ImageLoadException.class, () -> LOADER.load(dir)).getMessage());
  }

  @Test
  void truncatedPngAndJpegAreReported() throws IOException {
    byte[] png = Files.readAllBytes(SharedData.path("images/cat.png"));
    ImageLoadException e = assertThrows(ImageLoadException.class,
        () -> LOADER.load(Arrays.copyOf(png, png.length / 2), "half.png"));
    assertTrue(e.getMessage().startsWith("half.png is a corrupt or truncated image: "),
        e.getMessage());
    byte[] jpg = Files.readAllBytes(SharedData.path("images/dog.jpg"));
    e = assertThrows(ImageLoadException.class,
        () -> LOADER.load(Arrays.copyOf(jpg, jpg.length / 2), "half.jpg"));
    assertTrue(e.getMessage().startsWith("half.jpg is a truncated JPEG image"), e.getMessage());
  }

  /** A PNG with a valid IHDR claiming width x height and no pixel data at all. */
  private static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    ByteBuffer png = ByteBuffer.allocate(8 + 25 + 12);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(png, "IHDR", ihdr.array());
    chunk(png, "IEND", new byte[0]);
    return png.array();
  }

  private static void chunk(ByteBuffer png, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    png.putInt(data.length).put(name).put(data).putInt((int) crc.getValue());
  }

  @Test
  void hugeHeaderIsRefusedBeforeDecoding() {
    ImageLoadException e = assertThrows(ImageLoadException.class,
        () -> LOADER.load(pngHeaderOnly(20000, 20000), "bomb.png"));
    assertEquals("bomb.png is too large: 20000x20000 = 400.0 megapixels, the limit is 100.0"
        + " megapixels", e.getMessage());
  }

  @Test
  void pixelCapIsConfigurable() {
    ImageLoader small = ImageLoader.builder().maxPixels(100_000).build();
    ImageLoadException e = assertThrows(ImageLoadException.class,
        () -> small.load(SharedData.path("images/cat.png")));
    assertTrue(e.getMessage().endsWith("cat.png is too large: 512x341 = 0.2 megapixels, the"
        + " limit is 0.1 megapixels"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> ImageLoader.builder().maxPixels(0));
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
    return out.toByteArray();
  }

  @Test
  void grayscaleKeepsItsLevels() throws IOException {
    BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(0, 0, 0, 100);
    gray.getRaster().setSample(1, 0, 0, 7);
    BufferedImage image = LOADER.load(encode(gray, "png"));
    assertEquals(0x646464, image.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x070707, image.getRGB(1, 0) & 0xFFFFFF);
  }

  @Test
  void sixteenBitGrayAndRgbBecomeEightBit() throws IOException {
    BufferedImage gray = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
    gray.getRaster().setSample(0, 0, 0, 100 * 257);
    assertEquals(0x646464, LOADER.load(encode(gray, "png")).getRGB(0, 0) & 0xFFFFFF);

    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
        false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
    raster.setPixel(0, 0, new int[] {65535, 200 * 257, 128 * 257 + 100});
    BufferedImage rgb16 = new BufferedImage(cm, raster, false, null);
    BufferedImage image = LOADER.load(encode(rgb16, "png"));
    assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
    assertEquals(0xFFC880, image.getRGB(0, 0) & 0xFFFFFF);
  }

  @Test
  void alphaIsCompositedOverWhite() throws IOException {
    BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x80FF0000);
    argb.setRGB(1, 0, 0x00123456);
    argb.setRGB(2, 0, 0xFF123456);
    BufferedImage image = LOADER.load(encode(argb, "png"));
    // 255 * (1 - 128/255) = 127 for the missing channels, 255 stays 255
    assertEquals(0xFF7F7F, image.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(WHITE, image.getRGB(1, 0) & 0xFFFFFF);
    assertEquals(0x123456, image.getRGB(2, 0) & 0xFFFFFF);
  }

  @Test
  void paletteGifWithTransparencyAndBmp() throws IOException {
    byte[] r = {(byte) 255, 0, 0};
    byte[] g = {0, (byte) 200, 0};
    byte[] b = {0, 0, 0};
    IndexColorModel palette = new IndexColorModel(8, 3, r, g, b, 2);
    BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
    indexed.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 1, 2});
    BufferedImage gif = LOADER.load(encode(indexed, "gif"));
    assertEquals(RED, gif.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x00C800, gif.getRGB(1, 0) & 0xFFFFFF);
    assertEquals(WHITE, gif.getRGB(2, 0) & 0xFFFFFF);

    BufferedImage bmp = LOADER.load(encode(quadrants(), "bmp"));
    assertEquals(GREEN, bmp.getRGB(31, 0) & 0xFFFFFF);
    assertEquals(BLUE, bmp.getRGB(0, 15) & 0xFFFFFF);
  }

  @Test
  void losslessWebp() {
    // 4x3 lossless WebP written by Pillow 12.3; pixels row by row below
    byte[] webp = Base64.getDecoder().decode("UklGRmIAAABXRUJQVlA4TFYAAAAvA4AAAF+gGrIV6j5UIogwrnj6T"
        + "uFqmGnbJiqCIuhZAEMx/mx2zUwAFtu4BBHAJbdKgmz+AyCwQHwIZqW/V149Y1Om7faALMAEZiSDyakzi1Qj+h"
        + "/4pQ==");
    int[] expected = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x0A141E, 0xC86432, 0x000000,
        0x808080, 0x010203, 0xFAF0E6, 0x3C4650, 0x5A005A};
    BufferedImage image = LOADER.load(webp, "tiny.webp");
    assertEquals(4, image.getWidth());
    assertEquals(3, image.getHeight());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], image.getRGB(i % 4, i / 4) & 0xFFFFFF, "pixel " + i);
    }
  }

  /**
   * An Adobe-style CMYK JPEG (APP14 transform 0, four components, stored inverted as Photoshop
   * does) of one colour, written from a raw 4-band raster.
   */
  private static byte[] cmykJpeg(int c, int m, int y, int k) throws IOException {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
    for (int row = 0; row < 16; row++) {
      for (int col = 0; col < 16; col++) {
        raster.setPixel(col, row, new int[] {255 - c, 255 - m, 255 - y, 255 - k});
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    String format = "javax_imageio_jpeg_image_1.0";
    IIOMetadata metadata = writer.getDefaultImageMetadata(
        ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_3BYTE_BGR), null);
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
    Node variety = root.getElementsByTagName("JPEGvariety").item(0);
    while (variety.hasChildNodes()) {
      variety.removeChild(variety.getFirstChild());
    }
    IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
    markers.insertBefore(node("app14Adobe", "transform", "0", "version", "100", "flags0", "0",
        "flags1", "0"), markers.getFirstChild());
    IIOMetadataNode sof = (IIOMetadataNode) markers.getElementsByTagName("sof").item(0);
    NodeList components = sof.getElementsByTagName("componentSpec");
    for (int i = 0; i < components.getLength(); i++) {
      ((IIOMetadataNode) components.item(i)).setAttribute("HsamplingFactor", "1");
      ((IIOMetadataNode) components.item(i)).setAttribute("VsamplingFactor", "1");
    }
    sof.appendChild(node("componentSpec", "componentId", "4", "HsamplingFactor", "1",
        "VsamplingFactor", "1", "QtableSelector", "0"));
    sof.setAttribute("numFrameComponents", "4");
    IIOMetadataNode sos = (IIOMetadataNode) markers.getElementsByTagName("sos").item(0);
    sos.appendChild(node("scanComponentSpec", "componentSelector", "4", "dcHuffTable", "0",
        "acHuffTable", "0"));
    sos.setAttribute("numScanComponents", "4");
    metadata.setFromTree(format, root);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(raster, null, metadata), null);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static IIOMetadataNode node(String name, String... attributes) {
    IIOMetadataNode node = new IIOMetadataNode(name);
    for (int i = 0; i < attributes.length; i += 2) {
      node.setAttribute(attributes[i], attributes[i + 1]);
    }
    return node;
  }

  @Test
  void cmykJpegBecomesRgb() throws IOException {
    BufferedImage red = LOADER.load(cmykJpeg(0, 255, 255, 0), "cmyk.jpg");
    assertEquals(BufferedImage.TYPE_INT_RGB, red.getType());
    assertEquals(RED, nearest(red.getRGB(8, 8)));
    BufferedImage blue = LOADER.load(cmykJpeg(255, 255, 0, 0), "cmyk.jpg");
    assertEquals(BLUE, nearest(blue.getRGB(8, 8)));
  }

  @Test
  void otherColourSpacesAreConvertedToSrgb() {
    ComponentColorModel cm = new ComponentColorModel(
        ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB), false, false, Transparency.OPAQUE,
        DataBuffer.TYPE_BYTE);
    WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
    raster.setPixel(0, 0, new int[] {255, 0, 0});
    BufferedImage linear = new BufferedImage(cm, raster, false, null);
    int rgb = RgbConversion.toRgb(linear).getRGB(0, 0) & 0xFFFFFF;
    // linear full red is sRGB full red; colour management may move it by a level or two
    assertTrue(((rgb >> 16) & 0xFF) >= 250 && (rgb & 0xFFFF) < 0x0404, Integer.toHexString(rgb));

    BufferedImage paint = new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = paint.createGraphics();
    g.setColor(new Color(10, 20, 30));
    g.fillRect(0, 0, 2, 2);
    g.dispose();
    assertEquals(0x0A141E, RgbConversion.toRgb(paint).getRGB(1, 1) & 0xFFFFFF);
  }
}
