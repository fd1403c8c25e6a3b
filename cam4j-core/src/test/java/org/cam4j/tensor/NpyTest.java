package org.cam4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NpyTest {
  private static final String GOOD = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

  @TempDir
  Path dir;

  /** A format 1.0 file: magic, version, header length, header text + newline, then data. */
  private static byte[] npy(String header, int dataBytes) {
    byte[] text = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + text.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) text.length).put(text);
    return b.array();
  }

  private static byte[] withByte(byte[] bytes, int index, int value) {
    byte[] copy = bytes.clone();
    copy[index] = (byte) value;
    return copy;
  }

  static Stream<Arguments> brokenFiles() {
    byte[] good = npy(GOOD, 24);
    return Stream.of(
        Arguments.of("empty", new byte[0], "t.npy is not a .npy file"),
        Arguments.of("bad magic", withByte(good, 1, 'X'), "t.npy is not a .npy file"),
        Arguments.of("version 9.0", withByte(good, 6, 9),
            "t.npy: unsupported .npy format version 9.0"),
        Arguments.of("version 1.5", withByte(good, 7, 5),
            "t.npy: unsupported .npy format version 1.5"),
        // header length 60000 in an 18-byte file (the probe's "offset 10, count 60000")
        Arguments.of("header length past the end", withByte(withByte(Arrays.copyOf(good, 18), 8,
            0x60), 9, 0xEA), "t.npy: the header claims 60000 bytes but only 8 follow"),
        Arguments.of("version 2 cut in the length", Arrays.copyOf(withByte(good, 6, 2), 10),
            "t.npy: the file ends inside the header length"),
        Arguments.of("not a dict", npy("descr <f4 shape 2 3", 24),
            "t.npy: malformed header (expected '{' at character 0)"),
        Arguments.of("unterminated dict", npy("{'descr': '<f4', 'shape': (2, 3)", 24),
            "t.npy: malformed header (the dictionary ends early)"),
        Arguments.of("missing shape", npy("{'descr': '<f4', 'fortran_order': False}", 24),
            "t.npy: malformed header (no 'shape' key)"),
        Arguments.of("extra key", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (6,),"
            + " 'offset': '3'}", 24), "t.npy: malformed header (unexpected key 'offset')"),
        Arguments.of("float64", npy(GOOD.replace("<f4", "<f8"), 48),
            "t.npy holds '<f8' values; cam4j reads float32"),
        Arguments.of("big endian", npy(GOOD.replace("<f4", ">f4"), 24),
            "t.npy holds '>f4' values; cam4j reads float32"),
        Arguments.of("fortran order", npy(GOOD.replace("False", "True"), 24),
            "t.npy is in Fortran order"),
        Arguments.of("fortran order not a boolean", npy(GOOD.replace("False", "0"), 24),
            "t.npy: malformed header (unexpected value at character"),
        // the probe's "-150528": a negative dimension
        Arguments.of("negative dim", npy(GOOD.replace("(2, 3)", "(1, -3, 224, 224)"), 24),
            "t.npy: malformed header (the shape has a negative dimension)"),
        Arguments.of("non-integer dim", npy(GOOD.replace("(2, 3)", "(2, 'a')"), 24),
            "t.npy: malformed header (the shape holds a non-integer at character"),
        Arguments.of("shape not a tuple", npy(GOOD.replace("(2, 3)", "(6)"), 24),
            "t.npy: malformed header (shape (6) is not a tuple"),
        Arguments.of("product overflows", npy(GOOD.replace("(2, 3)",
            "(4294967296, 4294967296, 4294967296)"), 24), "t.npy: shape [4294967296, 4294967296,"
            + " 4294967296] is too large"),
        Arguments.of("dim beyond long", npy(GOOD.replace("(2, 3)", "(99999999999999999999,)"),
            24), "t.npy: malformed header (the shape has a dimension too large"),
        Arguments.of("truncated data", npy(GOOD, 20),
            "t.npy: shape [2, 3] needs 24 bytes of data, the file has 20 (truncated?)"),
        Arguments.of("trailing data", npy(GOOD, 28),
            "t.npy: shape [2, 3] needs 24 bytes of data, the file has 28"),
        // the probe's "Index 0 out of bounds": a shape of () holds one value
        Arguments.of("scalar without data", npy(GOOD.replace("(2, 3)", "()"), 0),
            "t.npy: shape [] needs 4 bytes of data, the file has 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void brokenFilesAreRefusedWithOneLineNamingFileAndProblem(String name, byte[] bytes,
      String expectedStart) {
    NpyFormatException e = assertThrows(NpyFormatException.class,
        () -> Npy.parse(bytes, "t.npy"));
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
  }

  @Test
  void controlCharactersInHeaderAreEscapedToKeepOneLine() {
    NpyFormatException e = assertThrows(NpyFormatException.class,
        () -> Npy.parse(npy("{'descr':\n'<f4'\u0007 }", 0), "t.npy"));
    assertTrue(e.getMessage().contains("'<f4'\\x07"), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
  }

  @Test
  void acceptsWhatNumpyWrites() {
    ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 6; i++) {
      data.putFloat(i * 1.5f);
    }
    byte[] bytes = npy("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}  ", 24);
    System.arraycopy(data.array(), 0, bytes, bytes.length - 24, 24);
    FloatTensor t = Npy.parse(bytes, "t.npy");
    assertArrayEquals(new long[] {2, 3}, t.shape());
    assertArrayEquals(new float[] {0, 1.5f, 3, 4.5f, 6, 7.5f}, t.toArray());
    FloatTensor scalarShape = Npy.parse(Npy.toBytes(FloatTensor.of(new long[] {4},
        new float[] {1, 2, 3, 4})), "v.npy");
    assertArrayEquals(new float[] {1, 2, 3, 4}, scalarShape.toArray());
  }

  @Test
  void readsFormatTwoHeaders() {
    byte[] v1 = Npy.toBytes(FloatTensor.of(new long[] {1, 2}, new float[] {5, -6}));
    ByteBuffer b = ByteBuffer.allocate(v1.length + 2).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = ByteBuffer.wrap(v1, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
    b.put(v1, 0, 6).put((byte) 2).put((byte) 0).putInt(headerLength);
    b.put(v1, 10, v1.length - 10);
    assertArrayEquals(new float[] {5, -6}, Npy.parse(b.array(), "v2.npy").toArray());
  }

  @Test
  void refusesFoldersFifosAndDevicesWithoutReading() throws IOException, InterruptedException {
    Path fifo = dir.resolve("pipe.npy");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor());
    // reading a FIFO with no writer would block forever: the check must refuse it unopened
    for (Path p : new Path[] {fifo, Path.of("/dev/zero"), dir}) {
      NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(p));
      assertEquals(p + " is not a regular file (a folder, pipe or device)", e.getMessage());
    }
    assertEquals(dir.resolve("none.npy") + ": no such file", assertThrows(
        NpyFormatException.class, () -> Npy.read(dir.resolve("none.npy"))).getMessage());
  }

  @Test
  void readsAFileItWrote() throws IOException {
    FloatTensor t = FloatTensor.of(new long[] {1, 2, 2}, new float[] {1, 2, 3, 4});
    Path file = dir.resolve("t.npy");
    Files.write(file, Npy.toBytes(t));
    assertArrayEquals(t.toArray(), Npy.read(file).toArray());
    assertArrayEquals(t.shape(), Npy.read(file).shape());
  }
}
