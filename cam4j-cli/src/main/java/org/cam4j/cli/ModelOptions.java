package org.cam4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cam4j.Cam4jException;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import picocli.CommandLine.Option;

/** Options shared by every command that loads a model. */
final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "PATH",
      description = "ONNX model file (.onnx; external .data next to it is read too).")
  Path model;

  @Option(names = "--threads", paramLabel = "N",
      description = "ONNX Runtime intra-op threads (default: all cores).")
  Integer threads;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  CamModel load() {
    if (!Files.exists(model)) {
      throw new Cam4jException("model file not found: " + model + " (pass --model PATH to an"
          + " .onnx file)");
    }
    EngineOptions.Builder options = EngineOptions.builder();
    if (threads != null) {
      options.intraOpThreads(threads);
    }
    return CamModel.load(model, options.build());
  }
}
