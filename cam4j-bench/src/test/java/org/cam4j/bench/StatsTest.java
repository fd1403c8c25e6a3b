package org.cam4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void quartilesInterpolateBetweenOrderStatistics() {
    Stats s = Stats.of(new double[] {4, 1, 3, 2});
    assertEquals(2.5, s.median());
    assertEquals(1.75, s.q1());
    assertEquals(3.25, s.q3());
    assertEquals(1, s.min());
    assertEquals(4, s.max());
  }

  @Test
  void perImageDividesEveryFigureByTheBatch() {
    Stats s = Stats.of(new double[] {8, 16, 24}).dividedBy(8);
    assertEquals(2, s.median());
    assertEquals(1.5, s.q1());
    assertEquals(2.5, s.q3());
    assertEquals(1, s.min());
    assertEquals(3, s.max());
  }

  /** Round 1 ran slow on both sides: paired, it counts as 2x; the ratio of medians says 1.5x. */
  @Test
  void ratiosPairEachSampleWithTheBaselinesOfItsRound() {
    double[] samples = {10, 2, 3};
    double[] baseline = {5, 2, 1};
    Stats r = Stats.ofRatios(samples, baseline);
    assertEquals(2, r.median());
    assertEquals(1, r.min());
    assertEquals(3, r.max());
    assertEquals(1.5, Stats.of(samples).median() / Stats.of(baseline).median());
    assertThrows(IllegalArgumentException.class, () -> Stats.ofRatios(samples, new double[2]));
  }
}
