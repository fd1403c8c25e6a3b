package org.cam4j.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * A small CNN built in code, as an NCHW model or its NHWC twin (a Transpose in front, same
 * weights): input 3x6x6 -> 1x1 Conv, stride 2 (4 channels, 3x3) -> Relu = {@link #LAYER} ->
 * GlobalAveragePool -> Flatten -> Gemm (5 classes).
 */
final class TinyNets {
  static final String LAYER = "layer";

  private TinyNets() {
  }

  static CamModel nchw() {
    return model(false);
  }

  static CamModel nhwc() {
    return model(true);
  }

  private static CamModel model(boolean nhwc) {
    Random rnd = new Random(11);
    List<NodeProto> nodes = new ArrayList<>();
    List<TensorProto> weights = new ArrayList<>();
    weights.add(Onnx.floatTensor("w", new long[] {4, 3, 1, 1}, uniform(rnd, 12)));
    weights.add(Onnx.floatTensor("b", new long[] {4}, uniform(rnd, 4)));
    weights.add(Onnx.floatTensor("fc", new long[] {5, 4}, uniform(rnd, 20)));
    String image = "x";
    if (nhwc) {
      nodes.add(Onnx.node("Transpose", "to_nchw", List.of("x"), List.of("x_nchw"),
          Onnx.attr("perm", new long[] {0, 3, 1, 2})));
      image = "x_nchw";
    }
    nodes.add(Onnx.node("Conv", "conv", List.of(image, "w", "b"), List.of("conv"),
        Onnx.attr("kernel_shape", new long[] {1, 1}), Onnx.attr("strides", new long[] {2, 2})));
    nodes.add(Onnx.node("Relu", "relu", List.of("conv"), List.of(LAYER)));
    nodes.add(Onnx.node("GlobalAveragePool", "gap", List.of(LAYER), List.of("pooled")));
    nodes.add(Onnx.node("Flatten", "flatten", List.of("pooled"), List.of("flat")));
    nodes.add(Onnx.node("Gemm", "fc", List.of("flat", "fc"), List.of("logits"),
        Onnx.attr("transB", 1L)));
    long[] shape = nhwc ? new long[] {-1, 6, 6, 3} : new long[] {-1, 3, 6, 6};
    GraphProto g = GraphProto.newBuilder().setName("tiny").addAllNode(nodes)
        .addAllInitializer(weights).addInput(Onnx.floatValueInfo("x", shape))
        .addOutput(Onnx.floatValueInfo("logits", null)).build();
    ModelProto p = ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(g).build();
    return CamModel.of(p.toByteArray(), EngineOptions.builder().intraOpThreads(1).build());
  }

  private static float[] uniform(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (2 * rnd.nextDouble() - 1);
    }
    return v;
  }
}
