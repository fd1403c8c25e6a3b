package org.cam4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.cam4j.internal.engine.OrtEnv;

/** Versions of cam4j and what it runs on, for manifests and {@code --version}. */
public final class Versions {
  private static final String CAM4J = readCam4j();

  private Versions() {
  }

  /** The cam4j version this library was built as. */
  public static String cam4j() {
    return CAM4J;
  }

  /** The ONNX Runtime version loaded (loads the native library on first use). */
  public static String onnxRuntime() {
    return OrtEnv.get().getVersion();
  }

  /** The running Java version. */
  public static String java() {
    return System.getProperty("java.version");
  }

  private static String readCam4j() {
    try (InputStream in = Versions.class.getResourceAsStream("cam4j.properties")) {
      if (in == null) {
        throw new IllegalStateException("cam4j.properties is missing from the build");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
