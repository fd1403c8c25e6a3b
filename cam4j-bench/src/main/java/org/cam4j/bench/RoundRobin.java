package org.cam4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cam4j.Cam4jException;

/**
 * Times workloads in interleaved rounds (each round takes one sample of every workload), so that
 * the load other processes put on a shared machine, and its drift, hit the baseline and every
 * case alike. A sample is a burst of back-to-back calls covering {@link #IMAGES_PER_SAMPLE}
 * images (8 calls at batch 1, 1 at batch 8): the steady state of a program explaining image
 * after image, rather than a lone call right after a different workload has churned caches and
 * allocator.
 */
final class RoundRobin {
  static final int IMAGES_PER_SAMPLE = 8;

  private final int warmupRounds;
  private final int measuredRounds;
  private final Clock clock;

  /**
   * A workload's samples in ms per call, or why the library refused it.
   *
   * @param millis one entry per measured round; null when refused
   * @param calls calls the library made to produce them (refused: 0)
   */
  record Outcome(double[] millis, int calls, String refusal) {
  }

  RoundRobin(int warmupRounds, int measuredRounds) {
    this(warmupRounds, measuredRounds, Clock.WALL);
  }

  RoundRobin(int warmupRounds, int measuredRounds, Clock clock) {
    if (warmupRounds < 1 || measuredRounds < 1) {
      throw new IllegalArgumentException("need at least one warm-up and one measured round");
    }
    this.warmupRounds = warmupRounds;
    this.measuredRounds = measuredRounds;
    this.clock = clock;
  }

  static int callsPerSample(int batch) {
    return Math.max(1, IMAGES_PER_SAMPLE / batch);
  }

  /**
   * Warms every workload up, then measures. A workload the library refuses on its first call
   * ({@link Cam4jException}, e.g. CAM on a model without a GAP head) is dropped and reported.
   *
   * @param afterWarmup runs between warm-up and measurement (to read counters)
   */
  Map<Workload, Outcome> run(List<Workload> workloads, Runnable afterWarmup) {
    Map<Workload, Outcome> refused = new LinkedHashMap<>();
    List<Workload> live = new ArrayList<>();
    for (Workload w : workloads) {
      try {
        w.body().run();
        live.add(w);
      } catch (Cam4jException e) {
        refused.put(w, new Outcome(null, 0, e.getMessage()));
      }
    }
    for (int r = 0; r < warmupRounds; r++) {
      live.forEach(this::sample);
    }
    afterWarmup.run();
    Map<Workload, double[]> millis = new LinkedHashMap<>();
    live.forEach(w -> millis.put(w, new double[measuredRounds]));
    for (int r = 0; r < measuredRounds; r++) {
      // rotate the order so no case always runs right after the same neighbour
      for (int i = 0; i < live.size(); i++) {
        Workload w = live.get((i + r) % live.size());
        millis.get(w)[r] = sample(w);
      }
    }
    Map<Workload, Outcome> result = new LinkedHashMap<>();
    for (Workload w : workloads) {
      result.put(w, refused.containsKey(w) ? refused.get(w)
          : new Outcome(millis.get(w), measuredRounds * callsPerSample(w.batch()), null));
    }
    return result;
  }

  /** ms per call over one burst. */
  private double sample(Workload w) {
    int calls = callsPerSample(w.batch());
    long start = clock.nanos();
    for (int i = 0; i < calls; i++) {
      w.body().run();
    }
    return (clock.nanos() - start) / 1e6 / calls;
  }
}
