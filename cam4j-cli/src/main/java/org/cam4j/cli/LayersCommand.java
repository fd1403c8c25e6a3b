package org.cam4j.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.cam4j.engine.CamModel;
import org.cam4j.graph.LayerCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the feature maps that can be explained, the default marked. */
@Command(name = "layers", mixinStandardHelpOptions = true,
    description = "List candidate layers (feature maps: NCHW, NHWC or tokens) with their shapes and"
        + " layouts; * marks the default.")
final class LayersCommand implements Callable<Integer> {
  @Mixin
  ModelOptions modelOptions = new ModelOptions();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    try (CamModel model = modelOptions.load(spec.commandLine().getErr())) {
      LayerCatalog layers = model.layers();
      var out = spec.commandLine().getOut();
      out.println("score: " + model.signature().score().description() + ", "
          + model.classes() + " classes; input " + model.signature().inputName() + " "
          + Arrays.toString(model.signature().inputShape(1)) + " " + model.signature().layout());
      for (LayerCatalog.Layer l : layers.candidates()) {
        String mark = l.equals(layers.defaultLayer()) ? "* " : "  ";
        out.println(mark + l.name() + "  " + Arrays.toString(l.shape()) + "  " + l.opType()
            + "  " + l.describeLayout());
      }
      return 0;
    }
  }
}
