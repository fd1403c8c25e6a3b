package org.cam4j.internal.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;

/**
 * The ONNX Runtime environment of cam4j, which logs fatal errors only: a failure reaches the user
 * as one line of cam4j's, never after native log lines. Sessions and runs use {@link #LOG_LEVEL}
 * too. ONNX Runtime keeps the level of whoever created the environment first, so cam4j's code
 * takes it from here only.
 */
public final class OrtEnv {
  /** The level of the environment, of every session and of every run. */
  public static final OrtLoggingLevel LOG_LEVEL = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;

  private OrtEnv() {
  }

  private static final class Holder {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(LOG_LEVEL,
        OrtEnvironment.DEFAULT_NAME);
  }

  /** The environment, created on first use (which loads the native library). */
  public static OrtEnvironment get() {
    return Holder.ENV;
  }
}
