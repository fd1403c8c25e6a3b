package org.cam4j.cli;

import org.cam4j.Versions;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code cam4j --version} prints: the build's version (read from a properties file; ONNX
 * Runtime's native library is not loaded for it).
 */
final class VersionProvider implements IVersionProvider {
  /** One line: {@code cam4j <version>}. */
  @Override
  public String[] getVersion() {
    return new String[] {"cam4j " + Versions.cam4j()};
  }
}
