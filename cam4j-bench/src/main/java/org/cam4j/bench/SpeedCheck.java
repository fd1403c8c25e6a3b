package org.cam4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.method.GradCam;
import org.cam4j.method.Methods;
import org.cam4j.tensor.FloatTensor;

/**
 * {@code --only gradcam}: Grad-CAM at the default layer, the middle and first block and all blocks,
 * then saliency and guided backprop, against the plain forward at batch 1, timed by thread CPU
 * time with one ONNX Runtime thread; each ratio next to its {@link WorkFloor} and its target.
 * A ratio is the median over rounds of the case's sample over the baseline's in the same round
 * ({@link Stats#ofRatios}); "min" is the fastest sample over the baseline's fastest. The floor of
 * saliency and guided backprop, which are judged against all blocks, is the input's floor over
 * all blocks' floor.
 */
final class SpeedCheck {
  /** One ONNX Runtime thread, so a call's work runs on (and is timed by) the calling thread. */
  static final EngineOptions OPTIONS = EngineOptions.builder().intraOpThreads(1)
      .maxCachedSessions(16).build();

  private final Settings settings;

  SpeedCheck(Settings settings) {
    this.settings = settings;
  }

  List<String> run(Path path) {
    String file = path.getFileName().toString();
    SpeedTargets targets = SpeedTargets.forModel(file).orElse(null);
    List<String> lines = new ArrayList<>();
    try (CamModel model = CamModel.load(path, OPTIONS)) {
      LayerChoice layers = LayerChoice.of(model.layers());
      WorkFloor floors = WorkFloor.of(path, model);
      FloatTensor input = Workloads.randomInput(model, 1, 1);
      List<Workload> w = new ArrayList<>();
      w.add(Workload.plain(1, Workloads.forward(model, input)));
      Workload defaultLayer = gradCam(model, input, "Grad-CAM, default layer",
          List.of(layers.defaultLayer()), targets == null ? null : targets.defaultLayer());
      Workload middle = gradCam(model, input, "Grad-CAM, middle block",
          List.of(layers.middleBlock()), targets == null ? null : targets.middleBlock());
      Workload first = gradCam(model, input, "Grad-CAM, first block",
          List.of(layers.firstBlock()), null);
      Workload all = gradCam(model, input, "Grad-CAM, all " + layers.blocks().size()
          + " blocks in one pass", layers.blocks(), targets == null ? null : targets.allBlocks());
      w.addAll(List.of(defaultLayer, middle, first, all));
      for (String name : List.of("saliency", "guided-backprop")) {
        w.add(Workload.of(name, 1, SpeedTargets.INPUT_GRADIENT_OVER_ALL_BLOCKS,
            Workloads.explain(model, input, Methods.byName(name),
                List.of(layers.defaultLayer()))));
      }
      RoundRobin rounds = new RoundRobin(settings.warmupRounds(), settings.measuredRounds(),
          Clock.THREAD_CPU);
      Map<Workload, RoundRobin.Outcome> outcomes = rounds.run(w, () -> { });
      double inputFloor = floors.floor(List.of(model.signature().inputName()));
      double[] plain = outcomes.get(w.get(0)).millis();
      double[] allBlocks = outcomes.get(all).millis();
      lines.add(String.format(Locale.ROOT, "%s: batch 1, 1 ONNX Runtime thread, thread CPU time,"
          + " %d rounds; layers: default %s, middle %s, first %s", file,
          settings.measuredRounds(), layers.defaultLayer(), layers.middleBlock(),
          layers.firstBlock()));
      lines.add(String.format(Locale.ROOT, "  %-42s %9s %7s %7s %7s  %s", "case", "ms", "ratio",
          "min", "floor", "target"));
      for (Workload c : w) {
        double[] samples = outcomes.get(c).millis();
        Stats s = Stats.of(samples);
        boolean inputGradient = c.target() == SpeedTargets.INPUT_GRADIENT_OVER_ALL_BLOCKS;
        double[] baseSamples = inputGradient ? allBlocks : plain;
        Stats base = Stats.of(baseSamples);
        double ratio = Stats.ofRatios(samples, baseSamples).median();
        String floor = c == defaultLayer ? fmt(floors.floor(List.of(layers.defaultLayer())))
            : c == middle ? fmt(floors.floor(List.of(layers.middleBlock())))
            : c == first ? fmt(floors.floor(List.of(layers.firstBlock())))
            : c == all ? fmt(floors.floor(layers.blocks()))
            : inputGradient ? fmt(inputFloor / floors.floor(layers.blocks())) : "";
        String verdict = c.target() == null ? ""
            : (inputGradient ? "vs all blocks " : "") + c.target().label() + " "
                + c.target().verdict(ratio);
        lines.add(String.format(Locale.ROOT, "  %-42s %9.2f %6.2fx %6.2fx %7s  %s", c.name(),
            s.median(), ratio, s.min() / base.min(), floor, verdict));
      }
    }
    return lines;
  }

  private static Workload gradCam(CamModel model, FloatTensor input, String name,
      List<String> layers, Target target) {
    return Workload.of(name, 1, target, Workloads.explain(model, input, new GradCam(), layers));
  }

  private static String fmt(double floor) {
    return String.format(Locale.ROOT, "%.2fx", floor);
  }
}
