package org.cam4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cam4j.Cam4jException;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.FloatTensor;
import org.cam4j.engine.ScoreSeed;
import org.cam4j.io.AtomicFiles;
import org.cam4j.io.Npy;
import org.cam4j.method.CamContext;
import org.cam4j.method.CamMethod;
import org.cam4j.method.MapOps;
import org.cam4j.method.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Computes class activation maps. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Explain a prediction with class activation maps.")
final class ExplainCommand implements Callable<Integer> {
  @Mixin
  ModelOptions modelOptions = new ModelOptions();

  @Option(names = "--tensor", paramLabel = "INPUT.npy", required = true,
      description = "An already preprocessed float32 tensor in the model's layout.")
  Path tensor;

  @Option(names = "--layer", paramLabel = "NAME", defaultValue = "auto",
      description = "Layer(s) to explain: auto (default), a tensor name, a block name such as"
          + " layer4, or a suffix.", split = ",")
  List<String> layers;

  @Option(names = "--class", paramLabel = "top|IDX", defaultValue = "top",
      description = "Class to explain: top (each image's top-1) or a class index.")
  String target;

  @Option(names = "--method", paramLabel = "M", defaultValue = "gradcam", split = ",",
      description = "Method(s), comma separated.")
  List<String> methods;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "cam4j-out",
      description = "Output folder.")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    List<CamMethod> chosen = methods.stream().map(Methods::byName).toList();
    FloatTensor input = Npy.read(tensor);
    try (CamModel model = modelOptions.load()) {
      List<String> resolved = new ArrayList<>();
      for (String l : layers) {
        resolved.add(model.layers().resolve(l).name());
      }
      CamContext context = CamContext.of(model, input, resolved, seed(input));
      int height = (int) model.signature().height();
      int width = (int) model.signature().width();
      for (CamMethod method : chosen) {
        List<FloatTensor> perLayer = new ArrayList<>();
        for (int i = 0; i < resolved.size(); i++) {
          FloatTensor raw = method.rawMaps(context, resolved.get(i));
          String suffix = resolved.size() == 1 ? "" : "_" + i;
          AtomicFiles.write(out.resolve(method.name() + "_raw" + suffix + ".npy"),
              Npy.toBytes(raw));
          perLayer.add(MapOps.scaledAndResized(raw, height, width));
        }
        AtomicFiles.write(out.resolve(method.name() + ".npy"), Npy.toBytes(MapOps.fuse(perLayer)));
      }
      spec.commandLine().getOut().printf("explained class %s at %s with %s -> %s%n",
          java.util.Arrays.toString(context.run().explainedClasses()), String.join(", ", resolved),
          String.join(", ", methods), out);
      return 0;
    }
  }

  private ScoreSeed seed(FloatTensor input) {
    int rows = (int) input.dim(0);
    if (target.equalsIgnoreCase("top")) {
      return ScoreSeed.topClass(rows);
    }
    int index;
    try {
      index = Integer.parseInt(target.trim());
    } catch (NumberFormatException e) {
      throw new Cam4jException("--class must be 'top' or a class index, got '" + target + "'");
    }
    int[] classes = new int[rows];
    java.util.Arrays.fill(classes, index);
    return ScoreSeed.classes(classes);
  }
}
