package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cam4j.SharedData;
import org.cam4j.Targets;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.HeadModel;
import org.cam4j.internal.engine.ModelAccess;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;

class ReciproCamTest {
  private static final double[][] GAUSSIAN = {{1, 2, 1}, {2, 4, 2}, {1, 2, 1}};

  @Test
  void aLinearHeadGivesTheSoftmaxOfTheClassifierOnEachMosaic() {
    Random rnd = new Random(4);
    float[] x = new float[2 * 108];
    for (int v = 0; v < x.length; v++) {
      x[v] = (float) rnd.nextGaussian();
    }
    FloatTensor input = FloatTensor.of(new long[] {2, 3, 6, 6}, x);
    int[] classes = {1, 4};
    try (CamModel m = TinyNets.nchw()) {
      CamContext c = CamContext.of(m, input, List.of(TinyNets.LAYER), Targets.classes(1, 4));
      FeatureMaps a = FeatureMaps.of(c.activations(TinyNets.LAYER));
      LinearHead fc = LinearHead.find(ModelAccess.graph(m), TinyNets.LAYER,
          m.signature().score().name());
      // 9 positions in chunks of 4: the last chunk is padded
      FloatTensor maps = new ReciproCam(4).rawMaps(c, TinyNets.LAYER);
      assertArrayEquals(new long[] {2, 3, 3}, maps.shape());
      for (int n = 0; n < 2; n++) {
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            // GlobalAveragePool -> Gemm: logit_k = sum_c W[k,c] mean_pq(A_c M_ij)
            double[] logits = new double[5];
            for (int k = 0; k < 5; k++) {
              float[] w = fc.classWeights(k);
              for (int ch = 0; ch < 4; ch++) {
                logits[k] += w[ch] * mosaicMean(a, n, ch, i, j);
              }
            }
            double expected = softmax(logits)[classes[n]];
            // float32 head against double arithmetic: a few ulps of the probability
            assertEquals(expected, maps.get((n * 3 + i) * 3 + j), 1e-6,
                "image " + n + " position " + i + "," + j);
          }
        }
      }
    }
  }

  @Test
  void batchedMosaicsOnResnet18MatchOneHeadRunPerPosition() {
    FloatTensor x = Npy.read(SharedData.path("reference/input.npy"));
    // mid-block: the head also reads the block's skip connection (a boundary tensor)
    String layer = "/layer4/layer4.1/relu/Relu_output_0";
    try (CamModel m = CamModel.load(SharedData.path("models/random/resnet18_random.onnx"))) {
      CamContext c = CamContext.of(m, x, List.of(layer), Targets.classes(467));
      FeatureMaps a = FeatureMaps.of(c.activations(layer));
      FloatTensor maps = new ReciproCam().rawMaps(c, layer);
      HeadModel head = m.head(layer);
      assertTrue(head.batches(), "the head ran the positions as batches");
      Map<String, FloatTensor> boundary = head.boundary().isEmpty() ? Map.of()
          : m.forward(x, head.boundary()).tensors();
      int area = a.area();
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (int p = 0; p < area; p++) {
        float[] mosaic = new float[a.c() * area];
        int pi = p / a.w();
        int pj = p % a.w();
        for (int ch = 0; ch < a.c(); ch++) {
          for (int q = 0; q < area; q++) {
            int di = q / a.w() - pi;
            int dj = q % a.w() - pj;
            if (Math.abs(di) <= 1 && Math.abs(dj) <= 1) {
              mosaic[ch * area + q] = (float) (a.data()[a.offset(0, ch) + q]
                  * GAUSSIAN[di + 1][dj + 1] / 16);
            }
          }
        }
        FloatTensor logits = head.scores(
            FloatTensor.of(new long[] {1, a.c(), a.h(), a.w()}, mosaic), boundary);
        double[] l = new double[(int) logits.dim(1)];
        for (int k = 0; k < l.length; k++) {
          l[k] = logits.get(k);
        }
        double expected = softmax(l)[467];
        // one row against a batch of 49: Conv summation order may differ, 1e-5 relative
        assertEquals(expected, maps.get(p), 1e-5 * expected, "position " + p);
        min = Math.min(min, maps.get(p));
        max = Math.max(max, maps.get(p));
      }
      assertTrue(max > min, "the probability varies with the position kept");
    }
  }

  private static double mosaicMean(FeatureMaps a, int n, int ch, int i, int j) {
    double sum = 0;
    for (int y = 0; y < a.h(); y++) {
      for (int x = 0; x < a.w(); x++) {
        if (Math.abs(y - i) <= 1 && Math.abs(x - j) <= 1) {
          sum += a.data()[a.offset(n, ch) + y * a.w() + x] * GAUSSIAN[y - i + 1][x - j + 1] / 16;
        }
      }
    }
    return sum / a.area();
  }

  private static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] p = new double[logits.length];
    for (int k = 0; k < logits.length; k++) {
      p[k] = Math.exp(logits[k] - max);
      sum += p[k];
    }
    for (int k = 0; k < logits.length; k++) {
      p[k] /= sum;
    }
    return p;
  }
}
