package org.cam4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cam4j.InvalidInputException;
import org.cam4j.explain.Target;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/** Which seeds run as one weighted class per row (the graph's CLASSES form), and as which. */
class ScoreSeedTest {
  @Test
  void topClassesAndSingleWeightsAreOneClassPerRow() {
    ScoreSeed seed = ScoreSeed.of(List.of(Target.top(), Target.index(3), Target.top().negated(),
        Target.weighted(0f, 0f, 2.5f), Target.index(7).negated()));
    ScoreSeed.ClassWeights c = seed.singleClasses(10).orElseThrow();
    assertArrayEquals(new long[] {-1, 3, -1, 2, 7}, c.classes());
    assertArrayEquals(new float[] {1f, 1f, -1f, 2.5f, -1f}, c.weights());
  }

  @Test
  void aFixedTopBecomesItsClass() {
    FloatTensor scores = FloatTensor.of(new long[] {2, 3}, new float[] {0f, 5f, 1f, 9f, 2f, 3f});
    ScoreSeed.ClassWeights c = ScoreSeed.topClass(2).withTopFixed(scores).singleClasses(3)
        .orElseThrow();
    assertArrayEquals(new long[] {1, 0}, c.classes());
    assertArrayEquals(new float[] {1f, 1f}, c.weights());
  }

  @Test
  void severalClassesOrProbabilitiesKeepTheWeightsForm() {
    assertTrue(ScoreSeed.of(List.of(Target.weighted(1f, 0f, 1f))).singleClasses(3).isEmpty());
    assertTrue(ScoreSeed.of(List.of(Target.index(1), Target.top().probability()))
        .singleClasses(3).isEmpty());
    assertTrue(ScoreSeed.topClass(1).ofProbabilities().singleClasses(3).isEmpty());
  }

  @Test
  void aClassPastTheModelsIsRefusedAsInTheWeightsForm() {
    ScoreSeed seed = ScoreSeed.classes(5);
    InvalidInputException single = assertThrows(InvalidInputException.class,
        () -> seed.singleClasses(5));
    InvalidInputException matrix = assertThrows(InvalidInputException.class,
        () -> seed.seedMatrix(5));
    assertEquals(matrix.getMessage(), single.getMessage());
  }
}
