package org.cam4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.cam4j.InvalidInputException;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class PointingGameTest {
  private static final int W = 30;
  private static final int H = 20;

  /** A map of zeros with the given value at each (x, y) pair. */
  private static FloatTensor map(float value, int... xy) {
    float[] m = new float[W * H];
    for (int i = 0; i < xy.length; i += 2) {
      m[xy[i + 1] * W + xy[i]] = value;
    }
    return FloatTensor.of(new long[] {1, H, W}, m);
  }

  private static Pointing play(double tolerance, FloatTensor map, BoundingBox box) {
    return PointingGame.withTolerance(tolerance).evaluate(map, List.of(box)).images().get(0);
  }

  @Test
  void hitsInsideAndOnTheEdgesOfTheBoxMissesOutside() {
    BoundingBox box = new BoundingBox(5, 4, 10, 8);
    assertEquals(new Pointing(7, 6, 1, true), play(0, map(1, 7, 6), box));
    assertEquals(new Pointing(10, 8, 1, true), play(0, map(1, 10, 8), box));
    assertEquals(new Pointing(5, 4, 1, true), play(0, map(1, 5, 4), box));
    assertEquals(new Pointing(11, 8, 1, false), play(0, map(1, 11, 8), box));
  }

  @Test
  void toleranceIsTheEuclideanDistanceToTheBox() {
    BoundingBox box = new BoundingBox(5, 4, 10, 8);
    // (13, 12) is 3 right and 4 below the corner (10, 8): distance 5
    assertEquals(true, play(5, map(1, 13, 12), box).hit());
    assertEquals(false, play(4.99, map(1, 13, 12), box).hit());
    assertEquals(true, play(15, map(1, 25, 8), box).hit());
    assertEquals(false, play(15, map(1, 26, 8), box).hit());
    assertEquals(15, PointingGame.standard().tolerance());
  }

  @Test
  void everyTiedMaximumMustBeOnTarget() {
    BoundingBox box = new BoundingBox(5, 4, 10, 8);
    assertEquals(new Pointing(6, 5, 2, true), play(0, map(1, 6, 5, 9, 7), box));
    // the first maximum in raster order is inside, the second is not
    assertEquals(new Pointing(6, 5, 2, false), play(0, map(1, 6, 5, 20, 15), box));
    Pointing flat = play(15, map(0), box);
    assertEquals(new Pointing(0, 0, W * H, false), flat);
    assertEquals(true, play(0, map(0), new BoundingBox(0, 0, W - 1, H - 1)).hit());
  }

  @Test
  void negativeMapsPointAtTheirLargestValue() {
    float[] m = new float[W * H];
    java.util.Arrays.fill(m, -5);
    m[3 * W + 2] = -1;
    Pointing p = play(0, FloatTensor.of(new long[] {1, H, W}, m), new BoundingBox(2, 3, 2, 3));
    assertEquals(new Pointing(2, 3, 1, true), p);
  }

  @Test
  void accuracyCountsHitsOverImages() {
    float[] two = new float[2 * W * H];
    two[6 * W + 7] = 1;
    two[W * H + 19 * W + 29] = 1;
    PointingResult r = PointingGame.standard().evaluate(FloatTensor.of(new long[] {2, H, W}, two),
        List.of(new BoundingBox(5, 4, 10, 8), new BoundingBox(0, 0, 3, 3)));
    assertEquals(1, r.hits());
    assertEquals(0.5, r.accuracy());
  }

  @Test
  void rejectsBadBoxesTolerancesAndShapes() {
    assertEquals("bounding box 4,0,3,2 needs 0 <= x0 <= x1 and 0 <= y0 <= y1 (corners included)",
        assertThrows(InvalidInputException.class, () -> new BoundingBox(4, 0, 3, 2))
            .getMessage());
    assertEquals("bounding box 0,0,30,5 of image 0 reaches outside the 30x20 map",
        assertThrows(InvalidInputException.class,
            () -> play(0, map(1, 0, 0), new BoundingBox(0, 0, W, 5))).getMessage());
    assertThrows(InvalidInputException.class, () -> PointingGame.withTolerance(-1));
    assertThrows(InvalidInputException.class, () -> PointingGame.withTolerance(Double.NaN));
    assertEquals("2 boxes for 1 maps; give one per image",
        assertThrows(InvalidInputException.class, () -> PointingGame.standard()
            .evaluate(map(1, 0, 0), List.of(new BoundingBox(0, 0, 1, 1),
                new BoundingBox(0, 0, 1, 1)))).getMessage());
    assertEquals("map shape [20, 30] is not [N,H,W] with N >= 1",
        assertThrows(InvalidInputException.class, () -> PointingGame.standard()
            .evaluate(FloatTensor.of(new long[] {H, W}, new float[W * H]),
                List.of(new BoundingBox(0, 0, 1, 1)))).getMessage());
  }
}
