package org.cam4j.server;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** A real PNG decompression bomb: a small file that decodes to a huge all-black picture. */
final class Bombs {
  private Bombs() {
  }

  /** A 1-bit grayscale PNG of {@code side x side} zeros (about 1/1000 of its raw size). */
  static byte[] png(int side) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(ihdr);
      h.writeInt(side);
      h.writeInt(side);
      h.writeByte(1); // bit depth
      h.writeByte(0); // grayscale
      h.writeByte(0);
      h.writeByte(0);
      h.writeByte(0);
      chunk(out, "IHDR", ihdr.toByteArray());
      Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
      byte[] row = new byte[1 + (side + 7) / 8];
      ByteArrayOutputStream idat = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      for (int y = 0; y < side; y++) {
        deflater.setInput(row);
        while (!deflater.needsInput()) {
          int n = deflater.deflate(buffer);
          idat.write(buffer, 0, n);
        }
      }
      deflater.finish();
      while (!deflater.finished()) {
        int n = deflater.deflate(buffer);
        idat.write(buffer, 0, n);
      }
      deflater.end();
      chunk(out, "IDAT", idat.toByteArray());
      chunk(out, "IEND", new byte[0]);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    d.writeInt(data.length);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }
}
