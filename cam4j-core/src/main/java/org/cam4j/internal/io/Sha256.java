package org.cam4j.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cam4j.ResourceUnavailableException;

/** SHA-256 digests as lowercase hex, the form model cards and registries print. */
public final class Sha256 {
  private Sha256() {
  }

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  public static String of(Path file) {
    MessageDigest d = newDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        d.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new ResourceUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(d.digest());
  }
}
