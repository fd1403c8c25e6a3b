package org.cam4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Memory figures, each from its own child JVM so one process's peak does not hide another's. */
final class MemoryBench {
  /** Both peak-RSS children get these, so their heaps may grow as the work asks. */
  static final List<String> PEAK_RSS_FLAGS = List.of("-Xms64m", "-Xmx1g");
  /**
   * A fixed, pre-touched heap is resident from the start, so RSS growth in the soak is native
   * memory or a leak, not the JVM deciding to enlarge its heap.
   */
  static final List<String> SOAK_FLAGS = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
  /**
   * A second set of peak-RSS children gets a fixed heap, resident from the start: RSS beyond it
   * is native memory (sessions, their weight copies and arenas), which the explaining processes'
   * larger heaps (they return arrays of activations and gradients each call, which the JVM
   * answers by growing its heap) would otherwise hide or swamp.
   */
  static final int FIXED_HEAP_MIB = 1024;
  static final List<String> FIXED_HEAP_FLAGS = List.of("-Xms" + FIXED_HEAP_MIB + "m",
      "-Xmx" + FIXED_HEAP_MIB + "m", "-XX:+AlwaysPreTouch");

  private MemoryBench() {
  }

  /**
   * Peak RSS of processes running each {@link ProcessMode}, {@code processes} of each, started
   * in rounds; ratios of the medians to the plain one's. One short-lived JVM's peak varies by
   * tens of MB with when its collector happens to run, hence several.
   */
  static List<ModelReport.RssResult> peakRss(Path model, int iterations, int processes) {
    List<ModelReport.RssResult> results = new ArrayList<>(
        peakRss(model, iterations, processes, PEAK_RSS_FLAGS, 0, ""));
    results.addAll(peakRss(model, iterations, processes, FIXED_HEAP_FLAGS,
        FIXED_HEAP_MIB * 1024L, ", outside a fixed " + FIXED_HEAP_MIB + " MiB heap"));
    return results;
  }

  /** Peak RSS less {@code heapKb} per process kind, labelled with {@code suffix}. */
  private static List<ModelReport.RssResult> peakRss(Path model, int iterations, int processes,
      List<String> flags, long heapKb, String suffix) {
    ProcessMode[] modes = ProcessMode.values();
    double[][] peaks = new double[modes.length][processes];
    for (int p = 0; p < processes; p++) {
      for (ProcessMode mode : modes) {
        Map<String, String> r = ChildJvm.run(flags, PeakRssChild.class,
            model.toString(), mode.name(), Integer.toString(iterations)).get(0);
        peaks[mode.ordinal()][p] = Long.parseLong(r.get("peakRssKb")) - heapKb;
      }
    }
    Stats plain = Stats.of(peaks[ProcessMode.PLAIN.ordinal()]);
    List<ModelReport.RssResult> results = new ArrayList<>();
    for (ProcessMode mode : modes) {
      results.add(new ModelReport.RssResult(mode.label() + suffix,
          Stats.of(peaks[mode.ordinal()]), plain,
          mode == ProcessMode.PLAIN ? null : Target.PEAK_RSS));
    }
    return results;
  }

  static SoakReport soak(Path model, int explanations) {
    List<SoakReport.Checkpoint> checkpoints = new ArrayList<>();
    for (Map<String, String> r : ChildJvm.run(SOAK_FLAGS, SoakChild.class, model.toString(),
        Integer.toString(explanations))) {
      checkpoints.add(new SoakReport.Checkpoint(Integer.parseInt(r.get("explanations")),
          Long.parseLong(r.get("heapKb")), Long.parseLong(r.get("rssKb")),
          Long.parseLong(r.get("peakRssKb")), Integer.parseInt(r.get("sessions"))));
    }
    return new SoakReport(model.getFileName().toString(), explanations, checkpoints);
  }
}
