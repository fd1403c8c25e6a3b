package org.cam4j;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;

import java.util.Random;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.tensor.FloatTensor;

/**
 * Small CNN classifiers built in code (opset 13, fixed random weights) for tests above the
 * autodiff layer: x [N,2,6,6] -> Conv 3x3 pad 1 (3) -> act "a1" [N,3,6,6] -> Conv 2x2
 * stride 2 (4) -> act "a2" [N,4,3,3] -> GlobalAveragePool -> Flatten -> MatMul -> "y" [N,5].
 */
public final class TinyCnn {
  public static final int CHANNELS = 2;
  public static final int SIZE = 6;
  public static final int CLASSES = 5;

  private TinyCnn() {
  }

  /** Tanh activations and biases: smooth, so finite differences need no care at kinks. */
  public static TinyModel smooth() {
    return cnn("Tanh", false, false);
  }

  /** Relu activations and biases. */
  public static TinyModel relu() {
    return cnn("Relu", false, false);
  }

  /** {@link #smooth()} fed channels-last: x [N,6,6,2] -> Transpose -> the same network. */
  public static TinyModel smoothNhwc() {
    return cnn("Tanh", true, false);
  }

  /**
   * Relu, no biases and kernels symmetric under a horizontal flip (the 2x2 stride-2 windows
   * tile the 6 columns symmetrically): the score of a mirrored image is the same, its maps are
   * mirrored, and scaling the input by a &gt; 0 scales every
   * activation by a (the network is positively homogeneous).
   */
  public static TinyModel mirrorSymmetric() {
    return cnn("Relu", false, true);
  }

  private static TinyModel cnn(String activation, boolean nhwc, boolean mirror) {
    TinyModel m = TinyModel.opset(13);
    if (nhwc) {
      m.input("x", 1, SIZE, SIZE, CHANNELS).node("Transpose", in("x"), "xt",
          attr("perm", new long[] {0, 3, 1, 2}));
    } else {
      m.input("x", 1, CHANNELS, SIZE, SIZE);
    }
    String x = nhwc ? "xt" : "x";
    float[] w1 = m.uniform(3 * CHANNELS * 9, -1, 1);
    float[] b1 = m.uniform(3, -0.3, 0.3);
    float[] w2 = m.uniform(4 * 3 * 4, -1, 1);
    float[] b2 = m.uniform(4, -0.3, 0.3);
    float[] fc = m.uniform(4 * CLASSES, -1, 1);
    if (mirror) {
      mirrorKernels(w1, 3);
      mirrorKernels(w2, 2);
    }
    m.weights("w1", new long[] {3, CHANNELS, 3, 3}, w1)
        .weights("w2", new long[] {4, 3, 2, 2}, w2)
        .weights("fc", new long[] {4, CLASSES}, fc);
    long[] pads = {1, 1, 1, 1};
    if (mirror) {
      m.node("Conv", in(x, "w1"), "c1", attr("pads", pads));
    } else {
      m.weights("b1", new long[] {3}, b1).weights("b2", new long[] {4}, b2)
          .node("Conv", in(x, "w1", "b1"), "c1", attr("pads", pads));
    }
    m.node(activation, in("c1"), "a1");
    m.node("Conv", mirror ? in("a1", "w2") : in("a1", "w2", "b2"), "c2",
            attr("strides", new long[] {2, 2}))
        .node(activation, in("c2"), "a2")
        .node("GlobalAveragePool", in("a2"), "g")
        .node("Flatten", in("g"), "f")
        .node("MatMul", in("f", "fc"), "y");
    return m;
  }

  /** Makes every size x size kernel equal to its left-right mirror image. */
  private static void mirrorKernels(float[] w, int size) {
    for (int k = 0; k < w.length; k += size * size) {
      for (int row = 0; row < size; row++) {
        for (int col = 0; col < size / 2; col++) {
          w[k + row * size + size - 1 - col] = w[k + row * size + col];
        }
      }
    }
  }

  /** The model with a symbolic batch, so any number of rows runs in one session. */
  public static CamModel load(TinyModel m) {
    ModelProto proto = m.build();
    long[] shape = m.inputShape();
    shape[0] = -1;
    GraphProto g = proto.getGraph().toBuilder().setInput(0, Onnx.floatValueInfo("x", shape))
        .build();
    return CamModel.of(proto.toBuilder().setGraph(g).build().toByteArray(),
        EngineOptions.builder().intraOpThreads(1).build());
  }

  /** A batch of uniform [-1, 1] values in the model's input shape. */
  public static FloatTensor input(TinyModel m, int rows, long seed) {
    long[] shape = m.inputShape();
    shape[0] = rows;
    Random r = new Random(seed);
    float[] v = new float[TinyModel.size(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (2 * r.nextDouble() - 1);
    }
    return FloatTensor.of(shape, v);
  }
}
