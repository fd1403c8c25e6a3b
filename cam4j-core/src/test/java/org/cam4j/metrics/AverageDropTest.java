package org.cam4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Average Drop and Increase in Confidence on {@link LinearModel}: class 0 has probability
 * {@code s = 0.05 + sum_p 0.02 * p * x_p}, class 1 has {@code 1 - s}.
 */
class AverageDropTest {
  private static final float[] WEIGHTS = {0f, .02f, .04f, .06f, .08f, .1f, .12f, .14f, .16f, .18f};
  private static final double EPS = 1e-6;
  /** s = 0.95. */
  private static final float[] ONES = LinearModel.filled(1);
  /** Pixel 9 is -1: s = 0.05 + 0.02 * (36 - 9) = 0.59. */
  private static final float[] DARK_CORNER = {1, 1, 1, 1, 1, 1, 1, 1, 1, -1};

  private static CamModel model;

  @BeforeAll
  static void load() {
    model = LinearModel.of(0.05f, WEIGHTS);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static AverageDropResult evaluate(MetricOptions options, float[][] images,
      float[][] maps, int... classes) {
    return AverageDrop.of(model, options).evaluate(LinearModel.images(images),
        LinearModel.maps(maps), classes);
  }

  private static void assertProbabilities(double[] expected, List<Double> actual) {
    assertArrayEquals(expected, actual.stream().mapToDouble(Double::doubleValue).toArray(), EPS);
  }

  @Test
  void aMapOfOnesKeepsTheImageAndDropsNothing() {
    AverageDropResult r = evaluate(MetricOptions.defaults(), new float[][] {ONES, DARK_CORNER},
        new float[][] {LinearModel.filled(1), LinearModel.filled(1)}, 0, 0);
    assertEquals(0, r.averageDrop(), 1e-9);
    assertEquals(0, r.increaseInConfidence());
    assertEquals(r.original(), r.explained());
    assertProbabilities(new double[] {0.95, 0.59}, r.original());
  }

  @Test
  void dropAveragesRelativeLossesAndIncreaseCountsGains() {
    float[] hideCorner = LinearModel.filled(1);
    hideCorner[9] = 0;
    AverageDropResult r = evaluate(MetricOptions.defaults(), new float[][] {ONES, DARK_CORNER},
        new float[][] {LinearModel.filled(0.5f), hideCorner}, 0, 0);
    // image 0: O = 0.05 + 0.5 * 0.9 = 0.5, drop (0.95 - 0.5) / 0.95; image 1: O = 0.77 > 0.59
    assertProbabilities(new double[] {0.95, 0.59}, r.original());
    assertProbabilities(new double[] {0.5, 0.77}, r.explained());
    assertEquals(100 * (0.45 / 0.95) / 2, r.averageDrop(), 1e-4);
    assertEquals(50, r.increaseInConfidence());
  }

  @Test
  void theClassChosenIsTheOneScored() {
    AverageDropResult r = evaluate(MetricOptions.defaults(), new float[][] {ONES},
        new float[][] {LinearModel.filled(0.5f)}, 1);
    // class 1: Y = 1 - 0.95, O = 1 - 0.5
    assertProbabilities(new double[] {0.05}, r.original());
    assertProbabilities(new double[] {0.5}, r.explained());
    assertEquals(0, r.averageDrop());
    assertEquals(100, r.increaseInConfidence());
  }

  @Test
  void theMapBlendsTowardTheConfiguredBaseline() {
    MetricOptions towardOne = MetricOptions.builder()
        .explanationBaseline(Baseline.constant(1)).build();
    AverageDropResult r = evaluate(towardOne, new float[][] {DARK_CORNER},
        new float[][] {LinearModel.filled(0)}, 0);
    // M = 0 leaves only the baseline: an all-ones image, s = 0.95
    assertProbabilities(new double[] {0.95}, r.explained());
    assertEquals(100, r.increaseInConfidence());
  }

  @Test
  void rejectsMapsOutsideTheUnitRange() {
    float[] tooHigh = LinearModel.filled(0.5f);
    tooHigh[6] = 1.5f;
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> evaluate(MetricOptions.defaults(), new float[][] {ONES, ONES},
            new float[][] {LinearModel.filled(0), tooHigh}, 0, 0));
    assertEquals("the map of image 1 is 1.5 at (x=1, y=1); Average Drop needs maps in [0, 1]"
        + " (normalise the map first)", e.getMessage());
  }

  @Test
  void topClassesArgmaxEachImage() {
    FloatTensor x = LinearModel.images(ONES, LinearModel.filled(0));
    // s = 0.95 and s = 0.05
    assertArrayEquals(new int[] {0, 1}, TopClasses.of(model, x));
  }
}
