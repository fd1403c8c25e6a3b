package org.cam4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cam4j.Cam4jException;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.image.Preprocessing;
import picocli.CommandLine.Option;

/** Options shared by every command that loads a model. */
final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "PATH",
      description = "ONNX model file (.onnx; external .data next to it is read too).")
  Path model;

  @Option(names = "--labels", paramLabel = "PATH",
      description = "Class names: text (one per line), synset.txt (wnid name) or JSON index.")
  Path labels;

  @Option(names = "--preprocess", paramLabel = "P",
      description = "keras-caffe, torch, tf, inception, raw, or a spec such as"
          + " 'mean=127.5;std=127.5;order=rgb;resize=center-crop' (default: the model's"
          + " .preprocess sidecar file, else torch).")
  String preprocess;

  @Option(names = "--threads", paramLabel = "N",
      description = "ONNX Runtime intra-op threads (default: all cores).")
  Integer threads;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  CamModel load() {
    return CamModel.load(modelFile(), engineOptions());
  }

  /** The model with its preprocessing and labels; notes on {@code err} what was assumed. */
  Explainer explainer(PrintWriter err) {
    Path file = modelFile();
    Explainer.Builder b = Explainer.builder(file).engineOptions(engineOptions());
    if (preprocess != null) {
      b.preprocessing(Preprocessing.parse(preprocess));
    } else if (Preprocessing.sidecarOf(file).isEmpty()) {
      err.println("cam4j: note: no --preprocess and no " + file.getFileName()
          + Preprocessing.SIDECAR_SUFFIX + " sidecar; assuming torch (RGB/255, ImageNet mean/std)");
    }
    if (labels != null) {
      b.labels(labels);
    }
    return b.build();
  }

  private Path modelFile() {
    if (!Files.exists(model)) {
      throw new Cam4jException("model file not found: " + model + " (pass --model PATH to an"
          + " .onnx file)");
    }
    return model;
  }

  private EngineOptions engineOptions() {
    EngineOptions.Builder options = EngineOptions.builder();
    if (threads != null) {
      options.intraOpThreads(threads);
    }
    return options.build();
  }
}
