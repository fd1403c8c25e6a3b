package org.cam4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.image.Preprocessing;
import org.cam4j.registry.ModelRegistry;
import org.cam4j.registry.ResolvedModel;
import picocli.CommandLine.Option;

/** Options shared by every command that loads a model. */
final class ModelOptions {
  /**
   * Opt-in folder for ONNX Runtime's optimised models ({@code EngineOptions.optimizedModelCache}):
   * later runs skip graph optimisation. Off by default: each entry holds a copy of the weights.
   */
  static final String ORT_CACHE_ENV = "CAM4J_ORT_CACHE";

  @Option(names = "--model", paramLabel = "NAME|PATH",
      defaultValue = ModelRegistry.EMBEDDED_DEFAULT,
      description = "An ONNX model file, or a registry name: mobilenetv2-embedded (default;"
          + " ImageNet MobileNetV2 inside cam4j, no download), or one downloaded once into the"
          + " cache ($CAM4J_CACHE, else ~/.cache/cam4j): resnet50, resnet50-v1,"
          + " resnet50-v1-opset12, resnet18, mobilenetv2, squeezenet1.1, densenet121, googlenet,"
          + " efficientnet-lite4. Set CAM4J_OFFLINE=1 to forbid downloads.")
  String model;

  @Option(names = "--labels", paramLabel = "PATH",
      description = "Class names: text (one per line), synset.txt (wnid name) or JSON index"
          + " (default: the registry model's labels).")
  Path labels;

  @Option(names = "--preprocess", paramLabel = "P",
      description = "keras-caffe, torch, tf, inception, raw, or a spec such as"
          + " 'mean=127.5;std=127.5;order=rgb;resize=center-crop' (default: the registry"
          + " model's, else the model's .preprocess sidecar file, else torch).")
  String preprocess;

  @Option(names = "--threads", paramLabel = "N",
      description = "ONNX Runtime intra-op threads (default: all cores).")
  Integer threads;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  CamModel load(PrintWriter err) {
    return CamModel.load(resolve(err).model(), engineOptions());
  }

  /** The model with its preprocessing and labels; notes on {@code err} what was assumed. */
  Explainer explainer(PrintWriter err) {
    return explainer(err, true);
  }

  /**
   * The model with its preprocessing and labels.
   *
   * @param photos whether photos will be preprocessed (else no note about assuming torch)
   */
  Explainer explainer(PrintWriter err, boolean photos) {
    long t0 = StartupTrace.start();
    Explainer explainer = build(err, photos);
    StartupTrace.end("explainer ready (model, labels)", t0);
    return explainer;
  }

  private Explainer build(PrintWriter err, boolean photos) {
    ResolvedModel resolved = resolve(err);
    Explainer.Builder b = Explainer.builder(resolved.model()).engineOptions(engineOptions());
    resolved.embeddedName().ifPresent(b::modelName);
    if (preprocess != null) {
      b.preprocessing(Preprocessing.parse(preprocess));
    } else if (resolved.preprocessing().isPresent()) {
      b.preprocessing(resolved.preprocessing().get());
    } else if (photos) {
      err.println("cam4j: note: no --preprocess and no " + resolved.model().getFileName()
          + Preprocessing.SIDECAR_SUFFIX + " sidecar; assuming torch (RGB/255, ImageNet mean/std)");
    }
    if (labels != null) {
      b.labels(labels);
    } else if (resolved.labels().isPresent()) {
      b.labels(resolved.labels().get());
    }
    return b.build();
  }

  private ResolvedModel resolve(PrintWriter err) {
    DownloadBar bar = new DownloadBar(err);
    try {
      return ModelRegistry.standard().resolve(model, bar);
    } finally {
      bar.finish();
    }
  }

  private EngineOptions engineOptions() {
    EngineOptions.Builder options = EngineOptions.builder();
    if (threads != null) {
      options.intraOpThreads(threads);
    }
    String ortCache = System.getenv(ORT_CACHE_ENV);
    if (ortCache != null && !ortCache.isBlank()) {
      options.optimizedModelCache(Path.of(ortCache));
    }
    return options.build();
  }
}
