package org.cam4j.metrics;

import java.util.List;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;

/**
 * A two-class model whose softmax probabilities are linear in the pixels, so metric values can be
 * worked out by hand: {@code s = bias + sum_p weight[p] * mean_c x[c, p]} and the scores are
 * {@code log(s), log(1 - s)}, whose softmax is exactly {@code (s, 1 - s)}. Images are 2x5.
 */
final class LinearModel {
  static final int HEIGHT = 2;
  static final int WIDTH = 5;
  static final int PIXELS = HEIGHT * WIDTH;

  private LinearModel() {
  }

  static CamModel of(Layout layout, int channels, float bias, float[] weights) {
    long[] shape = layout == Layout.NCHW ? new long[] {-1, channels, HEIGHT, WIDTH}
        : new long[] {-1, HEIGHT, WIDTH, channels};
    ImageShape image = new ImageShape(layout, channels, HEIGHT, WIDTH);
    float[] w = new float[image.values()];
    for (int p = 0; p < PIXELS; p++) {
      for (int c = 0; c < channels; c++) {
        w[image.index(p, c)] = weights[p] / channels;
      }
    }
    GraphProto graph = GraphProto.newBuilder().setName("linear")
        .addInitializer(Onnx.floatTensor("w", new long[] {w.length, 1}, w))
        .addInitializer(Onnx.floatTensor("b", new long[] {1}, new float[] {bias}))
        .addInitializer(Onnx.floatTensor("one", new long[] {1}, new float[] {1}))
        .addNode(Onnx.node("Flatten", "flatten", List.of("x"), List.of("flat")))
        .addNode(Onnx.node("MatMul", "matmul", List.of("flat", "w"), List.of("wx")))
        .addNode(Onnx.node("Add", "add", List.of("wx", "b"), List.of("s")))
        .addNode(Onnx.node("Sub", "sub", List.of("one", "s"), List.of("t")))
        .addNode(Onnx.node("Concat", "concat", List.of("s", "t"), List.of("p"),
            Onnx.attr("axis", 1L)))
        .addNode(Onnx.node("Log", "log", List.of("p"), List.of("score")))
        .addInput(Onnx.floatValueInfo("x", shape))
        .addOutput(Onnx.floatValueInfo("score", null))
        .build();
    ModelProto proto = ModelProto.newBuilder().setIrVersion(8).setProducerName("cam4j-tests")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph).build();
    return CamModel.of(proto.toByteArray(), EngineOptions.builder().intraOpThreads(1).build());
  }

  /** NCHW, one channel. */
  static CamModel of(float bias, float[] weights) {
    return of(Layout.NCHW, 1, bias, weights);
  }

  /** N images of the given pixel values (the same in every channel). */
  static FloatTensor images(Layout layout, int channels, float[]... pixels) {
    ImageShape image = new ImageShape(layout, channels, HEIGHT, WIDTH);
    float[] all = new float[pixels.length * image.values()];
    for (int i = 0; i < pixels.length; i++) {
      for (int p = 0; p < PIXELS; p++) {
        for (int c = 0; c < channels; c++) {
          all[i * image.values() + image.index(p, c)] = pixels[i][p];
        }
      }
    }
    long n = pixels.length;
    return FloatTensor.of(layout == Layout.NCHW ? new long[] {n, channels, HEIGHT, WIDTH}
        : new long[] {n, HEIGHT, WIDTH, channels}, all);
  }

  static FloatTensor images(float[]... pixels) {
    return images(Layout.NCHW, 1, pixels);
  }

  /** N maps [N, 2, 5]. */
  static FloatTensor maps(float[]... values) {
    float[] all = new float[values.length * PIXELS];
    for (int i = 0; i < values.length; i++) {
      System.arraycopy(values[i], 0, all, i * PIXELS, PIXELS);
    }
    return FloatTensor.of(new long[] {values.length, HEIGHT, WIDTH}, all);
  }

  static float[] filled(float value) {
    float[] v = new float[PIXELS];
    java.util.Arrays.fill(v, value);
    return v;
  }
}
