package org.cam4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cam4j.FiniteDifferences;
import org.cam4j.Targets;
import org.cam4j.TinyCnn;
import org.cam4j.engine.BackwardMode;
import org.cam4j.explain.Target;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;
import org.junit.jupiter.api.Test;

/** The model input as a "layer": the gradient of the score with respect to the image. */
class InputGradientTest {
  /**
   * Step 1e-2 on a tanh network: truncation error ~h^2 and float32 noise ~1e-7/h both stay
   * near 1e-4 of the gradient, so 1e-3 is the bound (as the autodiff gradient checks).
   */
  private static final double STEP = 1e-2;
  private static final double TOLERANCE = 1e-3;

  @Test
  void inputGradientMatchesFiniteDifferencesPerRow() {
    TinyModel tiny = TinyCnn.smooth();
    FloatTensor x = TinyCnn.input(tiny, 2, 1);
    try (CamModel m = TinyCnn.load(tiny)) {
      String input = m.signature().inputName();
      GradientResult r = m.forwardBackward(x, List.of(input, "a1"), Targets.classes(1, 3));
      FiniteDifferences.assertRelativeError(
          FiniteDifferences.gradient(m, x, FiniteDifferences.logits(1, 3), STEP),
          r.gradient(input), TOLERANCE, "d logit / d input, batch of 2");
      assertEquals(x.get(17), r.activation(input).get(17));
    }
  }

  @Test
  void channelsLastInputGetsTheTransposedGradient() {
    TinyModel nchw = TinyCnn.smooth();
    TinyModel nhwc = TinyCnn.smoothNhwc();
    FloatTensor x = TinyCnn.input(nchw, 1, 2);
    float[] t = new float[x.size()];
    int s = TinyCnn.SIZE;
    int c = TinyCnn.CHANNELS;
    for (int ch = 0; ch < c; ch++) {
      for (int p = 0; p < s * s; p++) {
        t[p * c + ch] = x.get(ch * s * s + p);
      }
    }
    try (CamModel a = TinyCnn.load(nchw); CamModel b = TinyCnn.load(nhwc)) {
      assertEquals(Layout.NHWC, b.signature().layout());
      FloatTensor ga = a.forwardBackward(x, List.of("x"), Targets.classes(2)).gradient("x");
      FloatTensor gb = b.forwardBackward(FloatTensor.of(new long[] {1, s, s, c}, t),
          List.of("x"), Targets.classes(2)).gradient("x");
      for (int ch = 0; ch < c; ch++) {
        for (int p = 0; p < s * s; p++) {
          float expected = ga.get(ch * s * s + p);
          assertEquals(expected, gb.get(p * c + ch), 1e-6f * (1 + Math.abs(expected)));
        }
      }
    }
  }

  @Test
  void guidedAndTrueGradientsUseTheirOwnCachedSessions() {
    TinyModel tiny = TinyCnn.relu();
    FloatTensor x = TinyCnn.input(tiny, 1, 3);
    try (CamModel m = TinyCnn.load(tiny)) {
      List<Target> seed = Targets.classes(0);
      FloatTensor plain = m.forwardBackward(x, List.of("x"), seed).gradient("x");
      FloatTensor guided = m.forwardBackward(x, List.of("x"), seed, BackwardMode.GUIDED)
          .gradient("x");
      int sessions = m.sessionsCreated();
      assertEquals(plain.get(5),
          m.forwardBackward(x, List.of("x"), seed).gradient("x").get(5));
      assertEquals(guided.get(5),
          m.forwardBackward(x, List.of("x"), seed, BackwardMode.GUIDED).gradient("x").get(5));
      assertEquals(sessions, m.sessionsCreated());
      boolean differ = false;
      for (int i = 0; i < plain.size(); i++) {
        differ |= plain.get(i) != guided.get(i);
      }
      assertTrue(differ, "guided and true input gradients are identical");
    }
  }
}
