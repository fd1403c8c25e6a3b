package org.cam4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.CamModel;
import org.cam4j.explain.ExplainOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Target;
import org.cam4j.metrics.AverageDrop;
import org.cam4j.metrics.AverageDropResult;
import org.cam4j.metrics.Baseline;
import org.cam4j.metrics.BoundingBox;
import org.cam4j.metrics.Curve;
import org.cam4j.metrics.CurveResult;
import org.cam4j.metrics.DeletionInsertion;
import org.cam4j.metrics.MetricOptions;
import org.cam4j.metrics.Pointing;
import org.cam4j.metrics.PointingGame;
import org.cam4j.metrics.PointingResult;
import org.cam4j.metrics.TopClasses;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** Scores saliency maps with faithfulness metrics (protocols in org.cam4j.metrics). */
@Command(name = "metrics", mixinStandardHelpOptions = true,
    description = "Score saliency maps: Average Drop and Increase in Confidence, deletion and"
        + " insertion AUC, and the pointing game (with --box).")
final class MetricsCommand implements Callable<Integer> {
  @Mixin
  ModelOptions modelOptions = new ModelOptions();

  @Parameters(paramLabel = "IMAGE", arity = "0..1",
      description = "A photo: preprocessed and explained with --method on the spot, then scored"
          + " (instead of --tensor and --map).")
  Path image;

  @Option(names = "--method", paramLabel = "M", defaultValue = "gradcam",
      description = "With IMAGE: the method whose map is scored (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--layer", paramLabel = "NAME", defaultValue = "auto", split = ",",
      description = "With IMAGE: the layer(s) explained (default: auto).")
  List<String> layers;

  @Option(names = "--tensor", paramLabel = "INPUT.npy",
      description = "An already preprocessed float32 tensor in the model's layout.")
  Path tensor;

  @Option(names = "--map", paramLabel = "MAP.npy",
      description = "Saliency maps [N,H,W] at the input resolution, in [0, 1] (as explain"
          + " writes them).")
  Path map;

  @Option(names = "--class", paramLabel = "top|IDX", defaultValue = "top",
      description = "Class scored: top (each image's top-1) or a class index.")
  String target;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "100",
      description = "Deletion and insertion steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--baseline", paramLabel = "zero|blur", defaultValue = "blur",
      converter = BaselineConverter.class,
      description = "Image insertion starts from: blur (RISE's blurred copy, default) or zero."
          + " Deletion and Average Drop move pixels to 0 in the preprocessed space.")
  Baseline insertionStart;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
      description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--box", paramLabel = "x0,y0,x1,y1", converter = BoxConverter.class,
      description = "Object box for the pointing game, in pixels at the input resolution,"
          + " corners included: once for every image, or once per image.")
  List<BoundingBox> boxes = new ArrayList<>();

  @Option(names = "--tolerance", paramLabel = "PX", defaultValue = "15",
      description = "Pointing game tolerance in pixels (default: ${DEFAULT-VALUE}, as in the"
          + " paper).")
  double tolerance;

  @Option(names = "--json", description = "Print the metrics, curves included, as JSON.")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    MetricOptions options = MetricOptions.builder().steps(steps).batchSize(batchSize)
        .insertionBaseline(insertionStart).build();
    if ((image == null) == (tensor == null && map == null)) {
      throw new ParameterException(spec.commandLine(),
          "give a photo (IMAGE) or --tensor INPUT.npy and --map MAP.npy, not both");
    }
    Target scoredClass = Target.parse(target);
    if (image != null) {
      existing(image, "image");
      try (Explainer explainer = modelOptions.explainer(spec.commandLine().getErr())) {
        PhotoMap scored = PhotoMap.of(explainer, image, ExplainOptions.builder()
            .method(method).layers(layers).target(scoredClass).build());
        return score(explainer.model(), options, scored.input(), scored.map());
      }
    }
    FloatTensor input = Npy.read(existing(tensor, "tensor"));
    FloatTensor maps = Npy.read(existing(map, "map"));
    try (CamModel model = modelOptions.load(spec.commandLine().getErr())) {
      return score(model, options, input, maps);
    }
  }

  private int score(CamModel model, MetricOptions options, FloatTensor input, FloatTensor maps) {
    PointingResult pointing = boxes.isEmpty() ? null : PointingGame.withTolerance(tolerance)
        .evaluate(maps, boxesPerImage(maps));
    int[] classes = classes(model, input);
    AverageDropResult drop = AverageDrop.of(model, options).evaluate(input, maps, classes);
    DeletionInsertion curves = DeletionInsertion.of(model, options);
    CurveResult deletion = curves.deletion(input, maps, classes);
    CurveResult insertion = curves.insertion(input, maps, classes);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(json(classes, drop, deletion, insertion, pointing));
    } else {
      out.printf("classes: %s%n", Arrays.toString(classes));
      out.printf("average drop: %.3f %% (lower is better)%n", drop.averageDrop());
      out.printf("increase in confidence: %.3f %% (higher is better)%n",
          drop.increaseInConfidence());
      out.printf("deletion AUC: %.4f (lower is better; %d steps to %s)%n", deletion.meanAuc(),
          steps, Baseline.zero());
      out.printf("insertion AUC: %.4f (higher is better; %d steps from %s)%n",
          insertion.meanAuc(), steps, insertionStart);
      if (pointing != null) {
        out.printf("pointing game: %d/%d hits, accuracy %.3f (tolerance %s px)%n",
            pointing.hits(), pointing.images().size(), pointing.accuracy(), tolerance);
      }
    }
    return 0;
  }

  private static Path existing(Path path, String what) {
    if (!Files.exists(path)) {
      throw new InvalidInputException(what + " file not found: " + path);
    }
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException(what + " " + path + " is not a regular file (a folder,"
          + " pipe or device)");
    }
    return path;
  }

  private List<BoundingBox> boxesPerImage(FloatTensor maps) {
    long n = maps.rank() > 0 ? maps.dim(0) : 0;
    if (boxes.size() == 1) {
      return Collections.nCopies((int) n, boxes.get(0));
    }
    if (boxes.size() != n) {
      throw new InvalidInputException(boxes.size() + " --box options for " + n + " images; give one"
          + " for all images or one per image");
    }
    return boxes;
  }

  private int[] classes(CamModel model, FloatTensor input) {
    Target t = Target.parse(target);
    if (t.isTop() && t.score() == Target.Score.LOGIT) {
      return TopClasses.of(model, input);
    }
    if (t.kind() != Target.Kind.CLASS || t.score() != Target.Score.LOGIT) {
      throw new InvalidInputException("--class '" + target + "': metrics take 'top' or a class index");
    }
    int index = t.index();
    int[] classes = new int[(int) input.dim(0)];
    Arrays.fill(classes, index);
    return classes;
  }

  private String json(int[] classes, AverageDropResult drop, CurveResult deletion,
      CurveResult insertion, PointingResult pointing) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    ArrayNode c = root.putArray("classes");
    Arrays.stream(classes).forEach(c::add);
    root.put("averageDrop", drop.averageDrop());
    root.put("increaseInConfidence", drop.increaseInConfidence());
    drop.original().forEach(root.putArray("originalProbabilities")::add);
    drop.explained().forEach(root.putArray("explainedProbabilities")::add);
    curves(root.putObject("deletion"), deletion, Baseline.zero());
    curves(root.putObject("insertion"), insertion, insertionStart);
    if (pointing != null) {
      ObjectNode p = root.putObject("pointingGame");
      p.put("tolerance", tolerance);
      p.put("hits", pointing.hits());
      p.put("accuracy", pointing.accuracy());
      ArrayNode images = p.putArray("images");
      for (Pointing image : pointing.images()) {
        images.addObject().put("x", image.x()).put("y", image.y()).put("maxima", image.maxima())
            .put("hit", image.hit());
      }
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private void curves(ObjectNode node, CurveResult result, Baseline baseline) {
    node.put("meanAuc", result.meanAuc());
    node.put("steps", steps);
    node.put("baseline", baseline.toString());
    result.curves().get(0).fractions().forEach(node.putArray("fractions")::add);
    ArrayNode images = node.putArray("images");
    for (Curve curve : result.curves()) {
      ObjectNode image = images.addObject();
      image.put("auc", curve.auc());
      curve.probabilities().forEach(image.putArray("probabilities")::add);
    }
  }

  /** {@code zero} or {@code blur}. */
  static final class BaselineConverter implements ITypeConverter<Baseline> {
    @Override
    public Baseline convert(String value) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "zero":
          return Baseline.zero();
        case "blur":
          return Baseline.blur();
        default:
          throw new TypeConversionException("expected zero or blur, got '" + value + "'");
      }
    }
  }

  /** {@code x0,y0,x1,y1} in whole pixels. */
  static final class BoxConverter implements ITypeConverter<BoundingBox> {
    @Override
    public BoundingBox convert(String value) {
      String[] parts = value.split(",");
      if (parts.length != 4) {
        throw new TypeConversionException("expected x0,y0,x1,y1, got '" + value + "'");
      }
      int[] v = new int[4];
      try {
        for (int i = 0; i < 4; i++) {
          v[i] = Integer.parseInt(parts[i].trim());
        }
        return new BoundingBox(v[0], v[1], v[2], v[3]);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("expected four whole pixel numbers x0,y0,x1,y1, got '"
            + value + "'");
      } catch (InvalidInputException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
