package org.cam4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cam4j.explain.OutputFolder;
import org.cam4j.explain.Target;
import org.cam4j.export.CamExport;
import org.cam4j.export.ExportedModel;
import org.cam4j.image.Preprocessing;
import org.cam4j.labels.Labels;
import org.cam4j.registry.ModelRegistry;
import org.cam4j.registry.ResolvedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a standalone ONNX model that returns the prediction and its class activation map. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write an ONNX model that returns, besides the model's own outputs, the"
        + " explained class (int64 'class') and its map ('cam_raw' at the layer's resolution,"
        + " 'cam' normalised at input resolution), runnable by any ONNX Runtime without cam4j."
        + " An optional int64 input 'class_index' picks the class per image (-1: top-1).")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "NAME|PATH", required = true,
      description = "An ONNX model file, or a registry name (see cam4j classify --help).")
  String model;

  @Option(names = "--layer", paramLabel = "NAME", defaultValue = "auto",
      description = "auto (default), a tensor name, a block name or a suffix.")
  String layer;

  @Mixin
  LayoutOptions layout;

  @Option(names = "--method", paramLabel = "M", defaultValue = "gradcam",
      description = "gradcam (default), gradcam++, xgradcam, hirescam, gradcam-elementwise or"
          + " layercam (eigencam and eigengradcam need an SVD and cannot be exported).")
  String method;

  @Option(names = "--score", paramLabel = "S", defaultValue = "logit",
      description = "logit (default), softmax (the probability) or negative (evidence against).")
  String score;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "0",
      description = "Batch size the model is built for (shapes are static; default: the"
          + " model's fixed batch, else 1).")
  int batch;

  @Option(names = "--require-class-index",
      description = "Declare class_index as a required input. By default it is optional (an"
          + " overridable initializer, -1 = top-1), which ONNX Runtime's C, C++, C# and Python"
          + " APIs can feed but its Java and JavaScript APIs cannot: they feed declared inputs"
          + " only. cam4j layers/classify read the default form only.")
  boolean requireClassIndex;

  @Option(names = "--out", paramLabel = "FILE.onnx", required = true,
      description = "The model to write.")
  Path out;

  @Option(names = "--preprocess", paramLabel = "P",
      description = "How a photo becomes the input, recorded in the model's metadata for"
          + " clients such as the --html page: keras-caffe, torch, tf, inception, raw or a spec"
          + " (default: the registry model's, else the model's .preprocess sidecar, else none;"
          + " with --html torch).")
  String preprocess;

  @Option(names = "--labels", paramLabel = "PATH",
      description = "Class names to record in the model's metadata (default: the registry"
          + " model's, if any).")
  Path labels;

  @Option(names = "--html",
      description = "Also write FILE.html beside the model: a page that runs it in the browser"
          + " (onnxruntime-web) on a photo you drop and shows the top class and its map.")
  boolean html;

  @Option(names = "--ort-url", paramLabel = "URL", defaultValue = ExportPage.DEFAULT_ORT_URL,
      description = "Where the --html page loads onnxruntime-web's ort.wasm.min.js from (its"
          + " .wasm and .mjs files are fetched from the same folder); default ${DEFAULT-VALUE}."
          + " Give a relative or local URL to use the page offline.")
  String ortUrl;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    OutputFolder.checkFile(out);
    CamExport.Builder builder = CamExport.builder(Path.of(model)).layer(layer).method(method)
        .score(Target.Score.parse(score)).batch(batch).classIndexRequired(requireClassIndex)
        .layerLayout(layout.layout());
    builder.build(); // every option is checked before a model is resolved (or downloaded)
    DownloadBar bar = new DownloadBar(err);
    ResolvedModel resolved;
    try {
      resolved = ModelRegistry.standard().resolve(model, bar);
    } finally {
      bar.finish();
    }
    builder.model(resolved.model());
    boolean torchAssumed = false;
    if (preprocess != null) {
      builder.preprocessing(Preprocessing.parse(preprocess));
    } else if (resolved.preprocessing().isPresent()) {
      builder.preprocessing(resolved.preprocessing().get());
    } else if (html) {
      builder.preprocessing(Preprocessing.TORCH);
      torchAssumed = true;
    }
    if (labels != null) {
      builder.labels(Labels.load(labels));
    } else {
      resolved.labels().ifPresent(l -> builder.labels(Labels.load(l)));
    }
    ExportedModel exported = builder.build().write(out);
    if (exported.opsetRaised()) {
      err.println("cam4j: note: opset raised from " + exported.sourceOpset() + " to "
          + exported.opset() + " (cam4j upgrades opset 7-9 models to differentiate them)");
    }
    spec.commandLine().getOut().printf("exported %s of %s at %s (score %s, batch %d, opset %d)"
        + " -> %s%n", exported.method(), model, exported.layer(), exported.score(),
        exported.batch(), exported.opset(), out);
    if (html) {
      spec.commandLine().getOut().println("page -> " + ExportPage.write(out, ortUrl));
    }
    if (torchAssumed) {
      err.println("cam4j: note: no --preprocess and no " + resolved.model().getFileName()
          + Preprocessing.SIDECAR_SUFFIX + " sidecar; the page preprocesses photos as torch"
          + " (RGB/255, ImageNet mean/std)");
    }
    return 0;
  }
}
