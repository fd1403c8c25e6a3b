package org.cam4j.internal.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link NchwView}'s nodes, run by ONNX Runtime, move every element where
 * {@link FeatureLayout#toNchw} moves it (exactly: both only copy values), for each layout,
 * prefix count and a non-square grid, at opset 10 (Slice's input form, the oldest an export
 * has) and 18; the one-view models pass {@link GraphCheck}.
 */
class NchwViewTest {
  static Stream<Arguments> cases() {
    return Stream.of(10, 18).flatMap(opset -> Stream.of(
        Arguments.of(opset, FeatureLayout.nchw(), new long[] {2, 3, 4, 5}),
        Arguments.of(opset, FeatureLayout.nhwc(), new long[] {2, 3, 4, 5}),
        Arguments.of(opset, FeatureLayout.tokens(0, 2, 3), new long[] {2, 6, 4}),
        Arguments.of(opset, FeatureLayout.tokens(2, 3, 2), new long[] {2, 8, 4}),
        Arguments.of(opset, FeatureLayout.tokens(-1, 0, 0), new long[] {2, 26, 3})));
  }

  @ParameterizedTest(name = "opset {0} {1} {2}")
  @MethodSource("cases")
  void viewEqualsTheLibrarysReading(int opset, FeatureLayout open, long[] shape)
      throws Exception {
    FeatureLayout layout = open.resolve(shape);
    NodeWriter w = new NodeWriter("view/", opset);
    w.op("Identity", "out", List.of(NchwView.write(w, "t", layout, shape)));
    ModelProto model = ModelProto.newBuilder().setIrVersion(7)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setGraph(GraphProto.newBuilder().setName("view").addAllNode(w.nodes())
            .addAllInitializer(w.constants())
            .addInput(Onnx.floatValueInfo("t", shape))
            .addOutput(Onnx.floatValueInfo("out", NchwView.shape(layout, shape))))
        .build();
    GraphCheck.verify(model);
    int size = 1;
    for (long d : shape) {
      size *= (int) d;
    }
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = i;
    }
    FloatTensor t = FloatTensor.of(shape, values);
    FloatTensor expected = layout.toNchw(t);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toByteArray(),
            new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
        OrtSession.Result result = session.run(Map.of("t", in))) {
      OnnxTensor out = (OnnxTensor) result.get(0);
      assertArrayEquals(expected.shape(), out.getInfo().getShape());
      FloatBuffer b = out.getFloatBuffer();
      float[] got = new float[b.remaining()];
      b.get(got);
      assertArrayEquals(expected.toArray(), got);
    }
  }
}
