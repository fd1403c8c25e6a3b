package org.cam4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cam4j.Cam4jException;

/**
 * Times workloads in interleaved rounds (each round runs every workload once), so that the load
 * other processes put on a shared machine, and its drift, hit the baseline and every case alike.
 */
final class RoundRobin {
  private final int warmupRounds;
  private final int measuredRounds;

  /**
   * A workload's timings in ms per call, or why the library refused it.
   *
   * @param millis one entry per measured round; null when refused
   */
  record Outcome(double[] millis, String refusal) {
  }

  RoundRobin(int warmupRounds, int measuredRounds) {
    if (warmupRounds < 1 || measuredRounds < 1) {
      throw new IllegalArgumentException("need at least one warm-up and one measured round");
    }
    this.warmupRounds = warmupRounds;
    this.measuredRounds = measuredRounds;
  }

  int measuredRounds() {
    return measuredRounds;
  }

  /**
   * Warms every workload up, then measures. A workload the library refuses on its first call
   * ({@link Cam4jException}, e.g. CAM on a model without a GAP head) is dropped and reported.
   *
   * @param afterWarmup runs between warm-up and measurement (to read counters)
   */
  Map<Workload, Outcome> run(List<Workload> workloads, Runnable afterWarmup) {
    Map<Workload, Outcome> outcomes = new LinkedHashMap<>();
    List<Workload> live = new ArrayList<>();
    for (Workload w : workloads) {
      try {
        w.body().run();
        live.add(w);
      } catch (Cam4jException e) {
        outcomes.put(w, new Outcome(null, e.getMessage()));
      }
    }
    for (int r = 1; r < warmupRounds; r++) {
      live.forEach(w -> w.body().run());
    }
    afterWarmup.run();
    Map<Workload, double[]> millis = new LinkedHashMap<>();
    live.forEach(w -> millis.put(w, new double[measuredRounds]));
    for (int r = 0; r < measuredRounds; r++) {
      // rotate the order so no case always runs right after the same neighbour
      for (int i = 0; i < live.size(); i++) {
        Workload w = live.get((i + r) % live.size());
        long start = System.nanoTime();
        w.body().run();
        millis.get(w)[r] = (System.nanoTime() - start) / 1e6;
      }
    }
    Map<Workload, Outcome> result = new LinkedHashMap<>();
    for (Workload w : workloads) {
      result.put(w, outcomes.containsKey(w) ? outcomes.get(w) : new Outcome(millis.get(w), null));
    }
    return result;
  }
}
