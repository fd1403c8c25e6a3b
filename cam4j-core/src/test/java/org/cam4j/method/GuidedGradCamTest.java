package org.cam4j.method;

import org.cam4j.internal.maps.MapOps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cam4j.Targets;
import org.cam4j.TinyCnn;
import org.cam4j.engine.BackwardMode;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.GradientResult;
import org.cam4j.explain.Target;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/**
 * Guided Grad-CAM on the ReLU network at "a2" (3x3, upsampled to the 6x6 input): the product of
 * a Grad-CAM map and a guided-backprop map, each rebuilt here from the raw tensors.
 */
class GuidedGradCamTest {
  private static final int S = TinyCnn.SIZE;

  @Test
  void isTheNormalisedGradCamTimesTheGuidedBackpropMap() {
    TinyModel tiny = TinyCnn.relu();
    FloatTensor x = TinyCnn.input(tiny, 2, 41);
    try (CamModel m = TinyCnn.load(tiny)) {
      List<Target> seed = Targets.classes(1, 3);
      CamContext context = CamContext.of(m, x, List.of("a2"), seed);
      CamMethod method = Methods.byName("guided-gradcam");
      assertTrue(method.usesLayer());
      FloatTensor map = method.rawMaps(context, "a2");
      assertArrayEquals(new long[] {2, S, S}, map.shape());

      FloatTensor cam = MapOps.normalised(gradCam(context.run()), S, S);
      FloatTensor guided = m.forwardBackward(x, List.of("x"), seed, BackwardMode.GUIDED)
          .gradient("x");
      FloatTensor gb = new GuidedBackprop().rawMaps(context, "a2");
      int area = S * S;
      int positive = 0;
      for (int i = 0; i < 2; i++) {
        for (int p = 0; p < area; p++) {
          float g = Math.max(Math.abs(guided.get((2 * i) * area + p)),
              Math.abs(guided.get((2 * i + 1) * area + p)));
          assertEquals(g, gb.get(i * area + p), 0f, "guided-backprop map, pixel " + p);
          float expected = cam.get(i * area + p) * g;
          assertEquals(expected, map.get(i * area + p), 1e-6f * (1 + expected), "pixel " + p);
          positive += expected > 0 ? 1 : 0;
        }
      }
      assertTrue(positive > area / 4, "the product is mostly zero: a weak check");
    }
  }

  /** Grad-CAM by hand: spatial mean of each channel's gradient times the channel, summed. */
  private static FloatTensor gradCam(GradientResult run) {
    FloatTensor a = run.activation("a2");
    FloatTensor g = run.gradient("a2");
    int n = (int) a.dim(0);
    int c = (int) a.dim(1);
    int area = (int) (a.dim(2) * a.dim(3));
    float[] out = new float[n * area];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        double w = 0;
        for (int p = 0; p < area; p++) {
          w += g.get((i * c + ch) * area + p);
        }
        w /= area;
        for (int p = 0; p < area; p++) {
          out[i * area + p] += (float) (w * a.get((i * c + ch) * area + p));
        }
      }
    }
    return FloatTensor.of(new long[] {n, a.dim(2), a.dim(3)}, out);
  }
}
