package org.cam4j.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cam4j.InvalidInputException;
import org.cam4j.ResourceUnavailableException;

/** Reads and writes NumPy {@code .npy} files holding little-endian float32 (format 1.0). */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private Npy() {
  }

  /** Reads a float32 {@code .npy} file (little-endian {@code <f4}, C order). */
  public static FloatTensor read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new ResourceUnavailableException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return parse(bytes, path.toString());
  }

  /** Parses the bytes of a float32 {@code .npy} file; {@code what} names it in error messages. */
  public static FloatTensor parse(byte[] bytes, String what) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (byte m : MAGIC) {
      if (b.remaining() == 0 || b.get() != m) {
        throw new InvalidInputException(what + " is not a .npy file (bad magic)");
      }
    }
    int major = b.get();
    b.get();
    int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
    String header = new String(bytes, b.position(), headerLen, StandardCharsets.ISO_8859_1);
    b.position(b.position() + headerLen);
    String descr = find(DESCR, header, what);
    if (!descr.equals("<f4") && !descr.equals("|f4")) {
      throw new InvalidInputException(what + " holds " + descr
          + "; cam4j reads float32 ('<f4') .npy files");
    }
    if (find(ORDER, header, what).equals("True")) {
      throw new InvalidInputException(what + " is in Fortran order; save it C-contiguous");
    }
    List<Long> dims = new ArrayList<>();
    for (String d : find(SHAPE, header, what).split(",")) {
      if (!d.isBlank()) {
        dims.add(Long.parseLong(d.trim()));
      }
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (b.remaining() < n * 4) {
      throw new InvalidInputException(what + " is truncated: shape needs " + n * 4 + " bytes, has "
          + b.remaining());
    }
    float[] data = new float[(int) n];
    b.asFloatBuffer().get(data);
    return FloatTensor.of(shape, data);
  }

  private static String find(Pattern p, String header, String what) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new InvalidInputException(what + " has a malformed .npy header: " + header.trim());
    }
    return m.group(1);
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

  /**
   * Writes {@code t} as a float32 {@code .npy} (format 1.0, {@code <f4}, C order) to {@code out}.
   */
  public static void write(FloatTensor t, OutputStream out) throws IOException {
    out.write(toBytes(t));
  }
}
