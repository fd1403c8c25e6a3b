package org.cam4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cam4j.Cam4jException;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.method.GradCam;
import org.cam4j.method.Methods;
import org.cam4j.tensor.FloatTensor;

/** Times the plain forward and every explanation case on one model, warm and cold. */
final class ModelBench {
  /**
   * Library defaults, except that the session cache holds every case's session: the round-robin
   * alternates between more (layer set, input shape) pairs than the default 4.
   */
  static final EngineOptions OPTIONS = EngineOptions.builder().maxCachedSessions(16).build();
  private static final int[] BATCHES = {1, 8};
  /**
   * Methods that run the network once per channel or per sample (seconds per image): timed
   * apart from the rounds, as a few single calls at batch 1, so the rounds stay short.
   */
  private static final List<String> PER_COPY = List.of("scorecam", "ablationcam", "smoothgrad",
      "integrated-gradients");

  private final Settings settings;

  ModelBench(Settings settings) {
    this.settings = settings;
  }

  ModelReport run(Path path) {
    List<CaseResult> cases = new ArrayList<>();
    List<ModelReport.WarmCheck> warm = new ArrayList<>();
    LayerChoice layers;
    double coldRatio;
    Stats plainBatchOne = null;
    try (CamModel model = CamModel.load(path, OPTIONS)) {
      layers = LayerChoice.of(model.layers());
      RoundRobin rounds = new RoundRobin(settings.warmupRounds(), settings.measuredRounds());
      for (int batch : BATCHES) {
        FloatTensor input = Workloads.randomInput(model, batch, batch);
        int[] afterWarmup = new int[1];
        Map<Workload, RoundRobin.Outcome> outcomes = rounds.run(workloads(model, input, layers),
            () -> afterWarmup[0] = model.sessionsCreated());
        int calls = outcomes.values().stream().mapToInt(RoundRobin.Outcome::calls).sum();
        warm.add(new ModelReport.WarmCheck(batch, afterWarmup[0], model.sessionsCreated(),
            calls));
        List<CaseResult> batchRows = rows(outcomes);
        if (batch == 1) {
          plainBatchOne = batchRows.get(0).perImage();
        }
        cases.addAll(batchRows);
      }
      ColdStart.Timings cold = ColdStart.measure(path, OPTIONS,
          Workloads.randomInput(model, 1, 1), settings.coldIterations());
      Stats explain = Stats.of(cold.explain());
      Stats forward = Stats.of(cold.forward());
      cases.add(new CaseResult("cold: load + first Grad-CAM, default layer", 1, explain,
          plainBatchOne, null, null));
      cases.add(new CaseResult("cold: load + first plain forward", 1, forward, plainBatchOne,
          null, null));
      coldRatio = explain.median() / forward.median();
      FloatTensor one = Workloads.randomInput(model, 1, 1);
      for (String name : PER_COPY) {
        cases.add(perCopy(model, one, name, layers, plainBatchOne));
      }
    }
    return new ModelReport(path.getFileName().toString(), layers, cases, coldRatio, warm,
        MemoryBench.peakRss(path, settings.rssIterations(), settings.rssProcesses()));
  }

  private static List<Workload> workloads(CamModel model, FloatTensor input, LayerChoice layers) {
    int batch = (int) input.dim(0);
    List<Workload> w = gradCamWorkloads(model, input, layers);
    for (String name : Methods.names()) {
      // attention-rollout needs a transformer's attention maps, which CNNs lack
      if (!name.equals("gradcam") && !PER_COPY.contains(name)
          && !(name.equals("attention-rollout") && !model.layers().defaultLayer()
              .describeLayout().startsWith("tokens"))) {
        w.add(Workload.of(name + ", default layer", batch, null, Workloads.explain(model, input,
            Methods.byName(name), List.of(layers.defaultLayer()))));
      }
    }
    return w;
  }

  private static List<Workload> gradCamWorkloads(CamModel model, FloatTensor input,
      LayerChoice layers) {
    int batch = (int) input.dim(0);
    List<Workload> w = new ArrayList<>();
    w.add(Workload.plain(batch, Workloads.forward(model, input)));
    w.add(Workload.of("Grad-CAM, default layer", batch, Target.DEFAULT_LAYER,
        Workloads.explain(model, input, new GradCam(), List.of(layers.defaultLayer()))));
    w.add(Workload.of("Grad-CAM, middle block", batch, Target.SINGLE_LAYER,
        Workloads.explain(model, input, new GradCam(), List.of(layers.middleBlock()))));
    w.add(Workload.of("Grad-CAM, first block", batch, Target.SINGLE_LAYER,
        Workloads.explain(model, input, new GradCam(), List.of(layers.firstBlock()))));
    w.add(Workload.of("Grad-CAM, all " + layers.blocks().size() + " block outputs in one pass",
        batch, Target.ALL_BLOCKS,
        Workloads.explain(model, input, new GradCam(), layers.blocks())));
    return w;
  }

  /** One warm-up call, then {@code samples} timed single calls of a per-copy method. */
  private CaseResult perCopy(CamModel model, FloatTensor input, String name, LayerChoice layers,
      Stats plain) {
    int samples = settings.quick() ? 1 : 3;
    Runnable body = Workloads.explain(model, input, Methods.byName(name),
        List.of(layers.defaultLayer()));
    String label = name + ", default layer (" + samples + " single calls)";
    try {
      body.run();
      double[] ms = new double[samples];
      for (int i = 0; i < samples; i++) {
        long t0 = System.nanoTime();
        body.run();
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      return new CaseResult(label, 1, Stats.of(ms), plain, null, null);
    } catch (Cam4jException e) {
      return CaseResult.refused(label, 1, e.getMessage());
    }
  }

  /**
   * Per-image figures and ratios to the plain forward of the same batch and rounds, in workload
   * order (the plain forward first).
   */
  private static List<CaseResult> rows(Map<Workload, RoundRobin.Outcome> outcomes) {
    Workload plain = outcomes.keySet().stream().filter(Workload::plain).findFirst()
        .orElseThrow();
    Stats plainStats = Stats.of(outcomes.get(plain).millis()).dividedBy(plain.batch());
    List<CaseResult> rows = new ArrayList<>();
    outcomes.forEach((w, o) -> {
      if (o.refusal() != null) {
        rows.add(CaseResult.refused(w.name(), w.batch(), o.refusal()));
      } else {
        Stats s = w == plain ? plainStats : Stats.of(o.millis()).dividedBy(w.batch());
        rows.add(new CaseResult(w.name(), w.batch(), s, plainStats, w.target(), null));
      }
    });
    return rows;
  }
}
