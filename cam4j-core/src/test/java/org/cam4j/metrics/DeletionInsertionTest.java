package org.cam4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deletion and insertion on {@link LinearModel} with pixel weights {@code 0.02 * p} (p = raster
 * index 0..9) and bias 0.05: on an all-ones image the class-0 probability is 0.05 plus 0.02 times
 * the sum of the indices of the pixels still present, so every curve point is known.
 */
class DeletionInsertionTest {
  private static final float[] WEIGHTS = {0f, .02f, .04f, .06f, .08f, .1f, .12f, .14f, .16f, .18f};
  private static final float[] PERFECT = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  private static final float[] REVERSED = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  private static final FloatTensor ONES = LinearModel.images(LinearModel.filled(1));
  private static final double EPS = 1e-6;

  private static CamModel model;

  @BeforeAll
  static void load() {
    model = LinearModel.of(0.05f, WEIGHTS);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static DeletionInsertion metric(int steps) {
    return DeletionInsertion.of(model, MetricOptions.builder().steps(steps)
        .insertionBaseline(Baseline.zero()).build());
  }

  private static void assertCurve(double[] expected, Curve curve) {
    assertEquals(expected.length, curve.probabilities().size());
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], curve.probabilities().get(j), EPS, "point " + j);
    }
  }

  @Test
  void deletionOfThePerfectOrderFallsFastest() {
    Curve curve = metric(10).deletion(ONES, LinearModel.maps(PERFECT), new int[] {0})
        .curves().get(0);
    // 0.05 + 0.02 * (45 - sum of the j largest indices)
    assertCurve(new double[] {.95, .77, .61, .47, .35, .25, .17, .11, .07, .05, .05}, curve);
    for (int j = 0; j <= 10; j++) {
      assertEquals(j / 10.0, curve.fractions().get(j), 1e-12);
    }
    // 0.1 * (sum of the points - (first + last) / 2) = 0.1 * (3.85 - 0.5)
    assertEquals(0.335, curve.auc(), EPS);
  }

  @Test
  void reversedOrderGivesTheMirrorAucsForDeletionAndInsertion() {
    int[] c = {0};
    FloatTensor maps = LinearModel.maps(PERFECT, REVERSED);
    FloatTensor twice = LinearModel.images(LinearModel.filled(1), LinearModel.filled(1));
    CurveResult deletion = metric(10).deletion(twice, maps, new int[] {0, 0});
    CurveResult insertion = metric(10).insertion(twice, maps, new int[] {0, 0});
    assertEquals(0.335, deletion.curves().get(0).auc(), EPS);
    assertEquals(0.665, deletion.curves().get(1).auc(), EPS);
    assertEquals(0.665, insertion.curves().get(0).auc(), EPS);
    assertEquals(0.335, insertion.curves().get(1).auc(), EPS);
    assertEquals(0.5, deletion.meanAuc(), EPS);
    assertCurve(new double[] {.05, .05, .07, .11, .17, .25, .35, .47, .61, .77, .95},
        metric(10).insertion(ONES, LinearModel.maps(REVERSED), c).curves().get(0));
  }

  @Test
  void tiesKeepRasterOrder() {
    // a flat map visits pixels 0, 1, 2, ...: the reversed order, whatever the sort does
    CurveResult flat = metric(10).deletion(ONES, LinearModel.maps(LinearModel.filled(0.3f)),
        new int[] {0});
    assertEquals(0.665, flat.meanAuc(), EPS);
    float[] twoLevels = {-0f, 0f, -0f, 0f, -0f, 1, 1, 1, 1, 1};
    // pixels 5-9 first, then 0-4 with -0 equal to +0: remaining sums 45, 40, 34, ..., 10, 10, 9
    Curve curve = metric(10).deletion(ONES, LinearModel.maps(twoLevels), new int[] {0})
        .curves().get(0);
    assertCurve(new double[] {.95, .85, .73, .59, .43, .25, .25, .23, .19, .13, .05}, curve);
  }

  @Test
  void unevenStepsUseTheTrueFractions() {
    // floor(j * 10 / 4) = 0, 2, 5, 7, 10 pixels deleted
    Curve curve = metric(4).deletion(ONES, LinearModel.maps(PERFECT), new int[] {0})
        .curves().get(0);
    assertEquals(List.of(0.0, 0.2, 0.5, 0.7, 1.0), curve.fractions());
    assertCurve(new double[] {.95, .61, .25, .11, .05}, curve);
    // .2*(.95+.61)/2 + .3*(.61+.25)/2 + .2*(.25+.11)/2 + .3*(.11+.05)/2
    assertEquals(0.345, curve.auc(), EPS);
  }

  @ParameterizedTest(name = "{0} with {1} channels")
  @CsvSource({"NCHW, 3", "NHWC, 3", "NHWC, 1"})
  void aPixelSpansEveryChannelInEitherLayout(Layout layout, int channels) {
    try (CamModel m = LinearModel.of(layout, channels, 0.05f, WEIGHTS)) {
      CurveResult r = DeletionInsertion.of(m, MetricOptions.builder().steps(10).build())
          .deletion(LinearModel.images(layout, channels, LinearModel.filled(1)),
              LinearModel.maps(PERFECT), new int[] {0});
      assertEquals(0.335, r.meanAuc(), EPS);
    }
  }

  @Test
  void batchSizeDoesNotChangeTheCurves() {
    FloatTensor x = LinearModel.images(LinearModel.filled(1), LinearModel.filled(0.5f));
    FloatTensor maps = LinearModel.maps(PERFECT, REVERSED);
    int[] classes = {0, 1};
    CurveResult one = DeletionInsertion.of(model, MetricOptions.builder().steps(10)
        .batchSize(1).build()).insertion(x, maps, classes);
    for (int batch : new int[] {3, 64}) {
      CurveResult other = DeletionInsertion.of(model, MetricOptions.builder().steps(10)
          .batchSize(batch).build()).insertion(x, maps, classes);
      for (int i = 0; i < 2; i++) {
        // equal up to float rounding: ONNX Runtime may sum in another order for another batch
        Curve expected = one.curves().get(i);
        assertEquals(expected.fractions(), other.curves().get(i).fractions());
        assertCurve(expected.probabilities().stream().mapToDouble(Double::doubleValue).toArray(),
            other.curves().get(i));
      }
    }
    // class 1 of the half-grey image ends at 1 - (0.05 + 0.02 * 45 * 0.5)
    assertEquals(0.5, one.curves().get(1).probabilities().get(10), EPS);
  }

  @Test
  void insertionStartsFromRisesBlurByDefault() {
    Curve curve = DeletionInsertion.of(model, MetricOptions.builder().steps(10).build())
        .insertion(ONES, LinearModel.maps(PERFECT), new int[] {0}).curves().get(0);
    // 0.05 + sum_p w_p * blur(ones)_p, the blur from SciPy's kernel and zero-padded correlate2d
    assertEquals(0.12797294025774247, curve.probabilities().get(0), EPS);
    assertEquals(0.95, curve.probabilities().get(10), EPS);
  }

  @Test
  void rejectsBadShapesClassesAndSteps() {
    int[] c = {0};
    DeletionInsertion metric = metric(10);
    InvalidInputException map = assertThrows(InvalidInputException.class,
        () -> metric.deletion(ONES, FloatTensor.of(new long[] {1, 5, 2}, new float[10]), c));
    assertEquals("map shape [1, 5, 2] does not match the input: expected [1, 2, 5] ([N,H,W],"
        + " one map per image at the input resolution)", map.getMessage());
    InvalidInputException input = assertThrows(InvalidInputException.class,
        () -> metric.deletion(FloatTensor.of(new long[] {1, 1, 5, 2}, new float[10]),
            LinearModel.maps(PERFECT), c));
    assertEquals("input shape [1, 1, 5, 2] does not match the model's [1, 1, 2, 5] (NCHW)",
        input.getMessage());
    InvalidInputException range = assertThrows(InvalidInputException.class,
        () -> metric.insertion(ONES, LinearModel.maps(PERFECT), new int[] {2}));
    assertEquals("class 2 is out of range: the model has 2 classes (0..1)", range.getMessage());
    InvalidInputException negative = assertThrows(InvalidInputException.class,
        () -> metric.insertion(ONES, LinearModel.maps(PERFECT), new int[] {-1}));
    assertEquals("class -1 of image 0 is out of range: class indices start at 0",
        negative.getMessage());
    InvalidInputException count = assertThrows(InvalidInputException.class,
        () -> metric.insertion(ONES, LinearModel.maps(PERFECT), new int[] {0, 1}));
    assertEquals("2 classes given for a batch of 1 images; give one per image",
        count.getMessage());
    float[] nan = LinearModel.filled(0);
    nan[7] = Float.NaN;
    InvalidInputException notFinite = assertThrows(InvalidInputException.class,
        () -> metric.deletion(ONES, LinearModel.maps(nan), c));
    assertEquals("the map of image 0 holds NaN at (x=2, y=1)", notFinite.getMessage());
    InvalidInputException steps = assertThrows(InvalidInputException.class,
        () -> metric(11).deletion(ONES, LinearModel.maps(PERFECT), c));
    assertEquals("11 steps for 10 pixels; use at most one step per pixel", steps.getMessage());
    InvalidInputException none = assertThrows(InvalidInputException.class,
        () -> MetricOptions.builder().steps(0));
    assertEquals("steps must be >= 1, got 0", none.getMessage());
    assertTrue(assertThrows(InvalidInputException.class,
        () -> MetricOptions.builder().batchSize(0)).getMessage().contains("batch size"));
  }
}
