package org.cam4j.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.cam4j.ResourceUnavailableException;

/**
 * Reads and writes NumPy {@code .npy} files holding little-endian float32 (formats 1.0 to 3.0
 * read, 1.0 written). Every field of a file read is checked before its data is touched: a
 * broken file is refused with a {@link NpyFormatException} that names it and the problem.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** Magic, two version bytes and the shortest (format 1.0, two byte) header length. */
  private static final int PREAMBLE = MAGIC.length + 4;
  /** Java arrays hold at most this many bytes (a few below Integer.MAX_VALUE). */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private Npy() {
  }

  /**
   * Reads a float32 {@code .npy} file.
   *
   * @throws NpyFormatException when the path is not a regular file (a folder, a FIFO, a device)
   *     or its contents are not a float32 {@code .npy} cam4j can read
   * @throws ResourceUnavailableException when the file cannot be read
   */
  public static FloatTensor read(Path path) {
    if (!Files.exists(path)) {
      throw new NpyFormatException(path + ": no such file");
    }
    if (!Files.isRegularFile(path)) {
      throw new NpyFormatException(path + " is not a regular file (a folder, pipe or device)");
    }
    byte[] bytes;
    try {
      long size = Files.size(path);
      if (size > MAX_BYTES) {
        throw new NpyFormatException(path + " is too large: " + size + " bytes, at most "
            + MAX_BYTES + " can be read");
      }
      bytes = Files.readAllBytes(path);
    } catch (AccessDeniedException e) {
      throw new ResourceUnavailableException("cannot read " + path + ": permission denied", e);
    } catch (IOException e) {
      throw new ResourceUnavailableException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return parse(bytes, path.toString());
  }

  /**
   * Parses the bytes of a float32 {@code .npy} file; {@code what} names it in error messages.
   *
   * @throws NpyFormatException when the bytes are not a float32 {@code .npy} cam4j can read
   */
  public static FloatTensor parse(byte[] bytes, String what) {
    if (bytes.length < PREAMBLE || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0,
        MAGIC.length)) {
      throw bad(what, "is not a .npy file (no \\x93NUMPY magic)");
    }
    int major = bytes[MAGIC.length];
    int minor = bytes[MAGIC.length + 1];
    if (major < 1 || major > 3 || minor != 0) {
      throw bad(what, "unsupported .npy format version " + major + "." + minor
          + " (1.0, 2.0 and 3.0 are read)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.position(MAGIC.length + 2);
    if (major > 1 && b.remaining() < 4) {
      throw bad(what, "the file ends inside the header length");
    }
    long headerLength = major == 1 ? Short.toUnsignedInt(b.getShort())
        : Integer.toUnsignedLong(b.getInt());
    if (headerLength > b.remaining()) {
      throw bad(what, "the header claims " + headerLength + " bytes but only " + b.remaining()
          + " follow");
    }
    String text = new String(bytes, b.position(), (int) headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    b.position(b.position() + (int) headerLength);
    NpyHeader header;
    try {
      header = NpyHeader.parse(text);
    } catch (NpyHeader.SyntaxError e) {
      throw bad(what, "malformed header (" + e.getMessage() + "): " + oneLine(text));
    }
    if (!header.descr().equals("<f4") && !header.descr().equals("|f4")) {
      throw bad(what, "holds '" + oneLine(header.descr()) + "' values; cam4j reads float32"
          + " ('<f4') .npy files");
    }
    if (header.fortranOrder()) {
      throw bad(what, "is in Fortran order; save it C-contiguous");
    }
    long[] shape = header.shape();
    long count = 1;
    for (long d : shape) {
      count = d == 0 || count <= MAX_BYTES / Float.BYTES / d ? count * d : -1;
      if (count < 0) {
        throw bad(what, "shape " + Arrays.toString(shape) + " is too large (over "
            + MAX_BYTES / Float.BYTES + " values)");
      }
    }
    if (b.remaining() != count * Float.BYTES) {
      throw bad(what, "shape " + Arrays.toString(shape) + " needs " + count * Float.BYTES
          + " bytes of data, the file has " + b.remaining()
          + (b.remaining() < count * Float.BYTES ? " (truncated?)" : ""));
    }
    float[] data = new float[(int) count];
    b.asFloatBuffer().get(data);
    return FloatTensor.wrap(shape, data);
  }

  private static NpyFormatException bad(String what, String problem) {
    String joiner = problem.startsWith("is ") || problem.startsWith("holds ") ? " " : ": ";
    return new NpyFormatException(what + joiner + problem);
  }

  /** Header text for a one-line message: control characters shown as escapes, length capped. */
  private static String oneLine(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.strip().toCharArray()) {
      out.append(c < 0x20 || c == 0x7F ? String.format("\\x%02x", (int) c) : c);
      if (out.length() > 120) {
        return out.append("...").toString();
      }
    }
    return out.toString();
  }

  /** Serialises a tensor as a version 1.0 float32 .npy file. */
  public static byte[] toBytes(FloatTensor t) {
    StringBuilder shape = new StringBuilder();
    for (long d : t.shape()) {
      shape.append(d).append(", ");
    }
    String dims = t.rank() == 1 ? shape.toString().trim() : shape.toString()
        .replaceAll(", $", "");
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    int unpadded = MAGIC.length + 4 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + t.size() * 4)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    b.asFloatBuffer().put(t.buffer());
    return b.array();
  }

  /** Writes {@link #toBytes} of {@code t} to {@code out}. */
  public static void write(FloatTensor t, OutputStream out) throws IOException {
    out.write(toBytes(t));
  }
}
