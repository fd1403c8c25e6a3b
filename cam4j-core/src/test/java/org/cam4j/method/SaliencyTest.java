package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.cam4j.FiniteDifferences;
import org.cam4j.Targets;
import org.cam4j.TinyCnn;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.GradientResult;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class SaliencyTest {
  /** Step 1e-2 on a tanh network: truncation and float32 noise both near 1e-4 of the values. */
  private static final double STEP = 1e-2;
  private static final double TOLERANCE = 1e-3;

  @Test
  void saliencyIsTheLargestAbsoluteFiniteDifferenceOverChannels() {
    TinyModel tiny = TinyCnn.smooth();
    FloatTensor x = TinyCnn.input(tiny, 2, 11);
    try (CamModel m = TinyCnn.load(tiny)) {
      CamContext context = CamContext.of(m, x, List.of("a2"), Targets.classes(0, 2));
      FloatTensor map = new Saliency().rawMaps(context, "a2");
      assertArrayEquals(new long[] {2, TinyCnn.SIZE, TinyCnn.SIZE}, map.shape());
      double[] fd = FiniteDifferences.gradient(m, x, FiniteDifferences.logits(0, 2), STEP);
      int area = TinyCnn.SIZE * TinyCnn.SIZE;
      double[] expected = new double[2 * area];
      for (int i = 0; i < 2; i++) {
        for (int c = 0; c < TinyCnn.CHANNELS; c++) {
          for (int p = 0; p < area; p++) {
            double v = Math.abs(fd[(i * TinyCnn.CHANNELS + c) * area + p]);
            expected[i * area + p] = Math.max(expected[i * area + p], v);
          }
        }
      }
      FiniteDifferences.assertRelativeError(expected, map, TOLERANCE, "saliency vs FD");
    }
  }

  @Test
  void channelsLastModelGivesTheSameMap() {
    TinyModel nchw = TinyCnn.smooth();
    FloatTensor x = TinyCnn.input(nchw, 1, 12);
    int s = TinyCnn.SIZE;
    int c = TinyCnn.CHANNELS;
    float[] t = new float[x.size()];
    for (int ch = 0; ch < c; ch++) {
      for (int p = 0; p < s * s; p++) {
        t[p * c + ch] = x.get(ch * s * s + p);
      }
    }
    try (CamModel a = TinyCnn.load(nchw); CamModel b = TinyCnn.load(TinyCnn.smoothNhwc())) {
      FloatTensor ma = new Saliency().rawMaps(CamContext.of(a, x, List.of("a1"),
          Targets.top(1)), "a1");
      FloatTensor mb = new Saliency().rawMaps(CamContext.of(b,
          FloatTensor.of(new long[] {1, s, s, c}, t), List.of("a1"), Targets.top(1)), "a1");
      for (int i = 0; i < ma.size(); i++) {
        assertEquals(ma.get(i), mb.get(i), 1e-6f * (1 + ma.get(i)));
      }
    }
  }

  @Test
  void inputMethodsDoNotUseTheLayerAndNeedTheContext() {
    for (String name : List.of("saliency", "guided-backprop", "smoothgrad",
        "integrated-gradients")) {
      CamMethod method = Methods.byName(name);
      assertFalse(method.usesLayer(), name);
      assertThrows(UnsupportedOperationException.class,
          () -> method.rawMaps((GradientResult) null, "a1"), name);
    }
  }
}
