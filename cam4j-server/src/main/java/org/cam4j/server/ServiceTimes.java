package org.cam4j.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long a task of each kind ({@code classify}, or an explain method's name) is expected to
 * take on a worker, from the times measured so far; admission uses it to refuse work that could
 * not finish before the timeout. Implementations are thread-safe.
 */
interface ServiceTimes {
  /** Milliseconds a task of {@code kind} is expected to run. */
  double expectedMillis(String kind);

  /** A task of {@code kind} ran for {@code millis}. */
  void record(String kind, double millis);

  /**
   * An exponential moving average per kind (each new time weighs 20%), starting from
   * {@code initialMillis} for a kind not seen yet.
   */
  static ServiceTimes movingAverage(double initialMillis) {
    Map<String, Double> averages = new ConcurrentHashMap<>();
    return new ServiceTimes() {
      @Override
      public double expectedMillis(String kind) {
        return averages.getOrDefault(kind, initialMillis);
      }

      @Override
      public void record(String kind, double millis) {
        averages.merge(kind, millis, (old, now) -> 0.8 * old + 0.2 * now);
      }
    };
  }
}
