package org.cam4j.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.cam4j.SharedData;
import org.junit.jupiter.api.Test;

class PredictionsTest {
  /**
   * Logits whose softmax is the card's top-5 for a photo (index, probability), with the rest of
   * the mass spread evenly, shifted so the top-1 logit is the card's.
   */
  private static float[] logitsFor(int[] indices, double[] probabilities, double topLogit) {
    double rest = 1 - Arrays.stream(probabilities).sum();
    double[] p = new double[1001];
    Arrays.fill(p, rest / (1001 - indices.length));
    for (int i = 0; i < indices.length; i++) {
      p[indices[i]] = probabilities[i];
    }
    double shift = topLogit - Math.log(probabilities[0]);
    float[] logits = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      logits[i] = (float) (Math.log(p[i]) + shift);
    }
    return logits;
  }

  @Test
  void catTopFiveMatchesTheCard() {
    // the card rounds 754 radiator and 812 space heater both to 0.002
    int[] indices = {286, 282, 283, 754, 812};
    double[] probabilities = {0.818, 0.105, 0.044, 0.0021, 0.0019};
    float[] logits = logitsFor(indices, probabilities, 12.137);
    Labels labels = Labels.load(SharedData.path("labels/imagenet_labels_1000.txt")).alignTo(1001);
    List<Prediction> top = Predictions.top(logits, labels, 5);
    assertEquals(List.of("Egyptian cat", "tabby", "tiger cat", "radiator", "space heater"),
        top.stream().map(Prediction::label).toList());
    for (int i = 0; i < 5; i++) {
      assertEquals(indices[i], top.get(i).index());
      assertEquals(probabilities[i], top.get(i).probability(), 1e-6);
      assertEquals(logits[indices[i]], top.get(i).logit());
    }
    assertEquals(12.137f, top.get(0).logit(), 1e-5f);
  }

  @Test
  void dogTopFiveWithWordNetIds() {
    int[] indices = {250, 249, 236, 251, 197};
    double[] probabilities = {0.400, 0.1321, 0.1319, 0.083, 0.035};
    float[] logits = logitsFor(indices, probabilities, 10.191);
    Labels synset = Labels.load(SharedData.path("labels/synset.txt")).alignTo(1001);
    List<Prediction> top = Predictions.top(logits, synset, 3);
    assertEquals(3, top.size());
    assertEquals(new Prediction(250, "n02110063", "malamute", top.get(0).probability(),
        logits[250]), top.get(0));
    assertEquals("Eskimo dog", top.get(1).label());
    assertEquals("German shepherd", top.get(2).label());
    assertEquals(0.400, top.get(0).probability(), 1e-6);
  }

  @Test
  void softmaxOfSmallVectorAndTies() {
    float[] logits = {1, 3, 3, 0};
    List<Prediction> top = Predictions.top(logits, Labels.fallback(4), 10);
    assertEquals(List.of(1, 2, 0, 3), top.stream().map(Prediction::index).toList());
    double sum = Math.exp(1) + 2 * Math.exp(3) + 1;
    assertEquals(Math.exp(3) / sum, top.get(0).probability(), 1e-7);
    assertEquals(1 / sum, top.get(3).probability(), 1e-7);
    assertEquals("class 2", top.get(1).label());
  }

  @Test
  void labelCountMustMatch() {
    assertEquals("the model gave 4 scores but the labels (placeholder names) name 3 classes",
        assertThrows(LabelsException.class,
            () -> Predictions.top(new float[4], Labels.fallback(3), 1)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Predictions.top(new float[] {Float.NaN}, Labels.fallback(1), 1));
  }
}
