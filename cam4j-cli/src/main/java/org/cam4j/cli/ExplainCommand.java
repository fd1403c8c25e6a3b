package org.cam4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cam4j.InvalidInputException;
import org.cam4j.explain.ExplainOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Explanation;
import org.cam4j.explain.Manifest;
import org.cam4j.explain.Normalization;
import org.cam4j.explain.OutputFolder;
import org.cam4j.explain.Target;
import org.cam4j.explain.TensorExplanation;
import org.cam4j.image.ImageLoadException;
import org.cam4j.method.MethodOptions;
import org.cam4j.method.Methods;
import org.cam4j.render.Colormap;
import org.cam4j.render.Overlay;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Computes class activation maps for photos, or for a preprocessed tensor. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Explain predictions with class activation maps: one overlay, heatmap, map"
        + " (.npy) and manifest per photo and method.")
final class ExplainCommand implements Callable<Integer> {
  @Mixin
  ModelOptions modelOptions = new ModelOptions();

  @Parameters(paramLabel = "IMAGE|DIR", arity = "0..*",
      description = "Photos (JPEG, PNG, BMP, GIF, WebP) or folders of photos.")
  List<Path> images = new ArrayList<>();

  @Option(names = "--tensor", paramLabel = "INPUT.npy",
      description = "Instead of photos: an already preprocessed float32 tensor in the model's"
          + " layout; writes DIR/<method>.npy and DIR/<method>_raw.npy.")
  Path tensor;

  @Option(names = "--layer", paramLabel = "NAME", defaultValue = "auto", split = ",",
      description = "Layer(s) to explain: auto (default), a tensor name, a block name such as"
          + " layer4, or a suffix; several are fused.")
  List<String> layers;

  @Mixin
  LayoutOptions layout;

  @Option(names = "--all-layers",
      description = "Explain every block output in one backward pass and draw them as a strip.")
  boolean allLayers;

  @Option(names = "--class", paramLabel = "top|IDX|NAME", defaultValue = "top",
      description = "Class to explain: top (each image's top-1), an index, or a label such as"
          + " tabby.")
  String target;

  @Option(names = "--method", paramLabel = "M", defaultValue = "gradcam", split = ",",
      description = "Method(s), comma separated: ${COMPLETION-CANDIDATES}.",
      completionCandidates = MethodNames.class)
  List<String> methods;

  @Option(names = "--score", paramLabel = "KIND", defaultValue = "logit",
      description = "What of the class is explained: logit (default), softmax (its"
          + " probability) or negative (the evidence against it).")
  String score;

  @Option(names = "--aug-smooth",
      description = "Average the maps of mirrored and brightness-scaled copies (x0.9, x1, x1.1).")
  boolean augSmooth;

  @Option(names = "--eigen-smooth",
      description = "Combine the channel terms by their first principal component.")
  boolean eigenSmooth;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "0",
      description = "Copies per forward pass for scorecam, ablationcam, reciprocam, smoothgrad and"
          + " integrated-gradients (default: each method's own).")
  int batchSize;

  @Option(names = "--max-channels", paramLabel = "N", defaultValue = "0",
      description = "scorecam scores only the N channels of highest spatial variance (default:"
          + " all; not pytorch-grad-cam parity, recorded as scorecam(max-channels=N)).")
  int maxChannels;

  @Option(names = "--colormap", paramLabel = "NAME", defaultValue = "jet",
      description = "jet (default), turbo, viridis, inferno, gray.")
  String colormap;

  @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.4",
      description = "Heat weight in the overlay, 0..1 (default ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--blend", paramLabel = "MODE", defaultValue = "alpha",
      description = "alpha: (1-a)*photo + a*heat; seed: the Keras tutorial's heat*a + photo,"
          + " rescaled to 0..255.")
  String blend;

  @Option(names = "--format", paramLabel = "png|jpg", defaultValue = "png",
      description = "Picture format of the overlay and heatmap (default png).")
  String format;

  @Option(names = "--top", paramLabel = "K", defaultValue = "5",
      description = "Predictions listed per photo (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "cam4j-out",
      description = "Output folder (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = {"-r", "--recursive"}, description = "Also search the folders' subfolders.")
  boolean recursive;

  @Option(names = "--report", description = "Also write DIR/index.html: one row per photo with"
      + " its top classes and each method's overlay, linking the files; opens from disk.")
  boolean report;

  @Option(names = "--json", description = "Print the manifests as JSON: {\"results\":[...]}.")
  boolean json;

  @Spec
  CommandSpec spec;

  /** Method names for the help text. */
  static final class MethodNames extends ArrayList<String> {
    MethodNames() {
      super(Methods.names());
    }
  }

  @Override
  public Integer call() {
    if ((tensor == null) == images.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "give photos (IMAGE|DIR...) or --tensor INPUT.npy, not both");
    }
    return tensor != null ? explainTensor() : explainPhotos();
  }

  /** The options both paths share; the tensor path scales maps as pytorch-grad-cam does. */
  private ExplainOptions options(Normalization normalization) {
    Target.Score kind;
    try {
      kind = Target.Score.parse(score);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("unknown --score '" + score
          + "'; use logit, softmax or negative");
    }
    return ExplainOptions.builder().layers(layers).allLayers(allLayers)
        .target(Target.parse(target).scored(kind))
        .methodOptions(new MethodOptions(batchSize, augSmooth, eigenSmooth, maxChannels))
        .methodNames(methods).normalization(normalization).overlay(overlay()).topK(top)
        .layerLayout(layout.layout())
        .build();
  }

  /**
   * Checks --format and --out before anything loads, and removes the staging folders that
   * killed runs left in --out.
   */
  private void prepareOutput(PrintWriter err) {
    String ext = format.toLowerCase(Locale.ROOT);
    if (!ext.equals("png") && !ext.equals("jpg")) {
      throw new InvalidInputException("--format must be png or jpg, got '" + format + "'");
    }
    OutputFolder.check(out);
    List<Path> stale = OutputFolder.removeStaleStaging(out);
    if (!stale.isEmpty()) {
      err.println("cam4j: note: removed " + stale.size() + " staging folder(s) left in " + out
          + " by runs that were killed while saving: " + String.join(", ",
          stale.stream().map(p -> p.getFileName().toString()).toList()));
    }
  }

  private int explainPhotos() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    prepareOutput(err);
    ExplainOptions options = options(Normalization.RELU_MAX);
    List<Path> files = ImageArguments.expand(images, recursive);
    ReportWriter page = new ReportWriter(out);
    ArrayNode results = JsonOutput.MAPPER.createArrayNode();
    OutputStems stems = new OutputStems();
    int failed = 0;
    try (Explainer explainer = modelOptions.explainer(err)) {
      Progress progress = new Progress(err, files.size());
      for (Path file : files) {
        progress.start(file.getFileName().toString());
        try {
          OutputStems.Stem stem = stems.of(file);
          if (stem.shortened()) {
            progress.note("cam4j: note: " + file.getFileName() + ": name too long for output"
                + " files; saved as " + stem.name() + "_...");
          }
          List<Manifest> savedSet = new ArrayList<>();
          for (Explanation e : explainer.explainAll(file, options)) {
            Manifest saved = e.save(out, stem.name(), format);
            savedSet.add(saved);
            progress.clear();
            if (json) {
              results.add(JsonOutput.MAPPER.valueToTree(saved));
            } else {
              stdout.printf(Locale.ROOT, "%s: %s (%d, %.1f%%) by %s at %s -> %s%n", file,
                  e.target().label(), e.target().index(), 100 * e.target().probability(),
                  e.method(), String.join(", ", e.layers().size() > 3
                      ? List.of(e.layers().size() + " layers") : e.layers()),
                  out.resolve(saved.files().get("overlay")));
            }
          }
          page.add(file, savedSet);
        } catch (ImageLoadException e) {
          failed++;
          progress.note("cam4j: error: " + e.getMessage());
          page.addFailure(file, e.getMessage());
        }
      }
      progress.clear();
    }
    if (report) {
      Path index = page.write();
      if (!json) {
        stdout.println("report: " + index);
      }
    }
    if (json) {
      ObjectNode root = JsonOutput.MAPPER.createObjectNode();
      root.set("results", results);
      stdout.println(root.toPrettyString());
    }
    stdout.flush();
    return failed == 0 ? 0 : ErrorReporter.INPUT;
  }

  private Overlay overlay() {
    Overlay.Mode mode;
    try {
      mode = Overlay.Mode.valueOf(blend.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("unknown blend '" + blend + "'; use alpha or seed");
    }
    return Overlay.builder().colormap(Colormap.parse(colormap)).alpha(alpha).mode(mode).build();
  }

  /** Writes, per method, the files of {@link TensorExplanation#save}. */
  private int explainTensor() {
    prepareOutput(spec.commandLine().getErr());
    ExplainOptions options = options(Normalization.MIN_MAX);
    FloatTensor input = Npy.read(tensor);
    try (Explainer explainer = modelOptions.explainer(spec.commandLine().getErr(), false)) {
      List<TensorExplanation> results = explainer.explainTensor(input, options);
      results.forEach(r -> r.save(out));
      spec.commandLine().getOut().printf("explained class %s at %s with %s -> %s%n",
          Arrays.toString(results.get(0).explainedClasses()),
          String.join(", ", results.get(0).layers()), String.join(", ", methods), out);
      return 0;
    }
  }
}
