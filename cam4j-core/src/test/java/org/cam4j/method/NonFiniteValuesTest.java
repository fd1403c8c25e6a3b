package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.cam4j.Targets;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.maps.MapOps;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.NonFiniteValueException;
import org.junit.jupiter.api.Test;

/** Non-finite inputs are refused, and no map is ever normalised from non-finite values. */
class NonFiniteValuesTest {
  private static final long[] SHAPE = {1, 3, 6, 6};

  private static FloatTensor input(float fill, int index, float value) {
    float[] v = new float[108];
    Arrays.fill(v, fill);
    if (index >= 0) {
      v[index] = value;
    }
    return FloatTensor.of(SHAPE, v);
  }

  @Test
  void nonFiniteInputIsRefusedNamingTheFirstBadIndex() {
    try (CamModel m = TinyNets.nchw()) {
      // index 40 = channel 1, row 0, column 4 of a [1,3,6,6] tensor
      NonFiniteValueException nan = assertThrows(NonFiniteValueException.class,
          () -> m.scores(input(0.5f, 40, Float.NaN)));
      assertEquals("non-finite value NaN at index [0, 1, 0, 4] of the input tensor",
          nan.getMessage());
      NonFiniteValueException inf = assertThrows(NonFiniteValueException.class,
          () -> m.forwardBackward(input(0.5f, 107, Float.NEGATIVE_INFINITY),
              List.of(TinyNets.LAYER), Targets.top(1)));
      assertEquals("non-finite value -Infinity at index [0, 2, 5, 5] of the input tensor",
          inf.getMessage());
      NonFiniteValueException allNan = assertThrows(NonFiniteValueException.class,
          () -> m.forward(input(Float.NaN, -1, 0), List.of(TinyNets.LAYER)));
      assertEquals("non-finite value NaN at index [0, 0, 0, 0] of the input tensor",
          allNan.getMessage());
    }
  }

  /** x [1,1,2,2] -> Conv (weight 2, 1x1) -> Relu = "layer" -> GAP -> Flatten -> Gemm [1, -1]. */
  private static CamModel doubler() {
    GraphProto g = GraphProto.newBuilder().setName("doubler")
        .addInput(Onnx.floatValueInfo("x", new long[] {1, 1, 2, 2}))
        .addInitializer(Onnx.floatTensor("w", new long[] {1, 1, 1, 1}, new float[] {2}))
        .addInitializer(Onnx.floatTensor("fc", new long[] {2, 1}, new float[] {1, -1}))
        .addNode(Onnx.node("Conv", "conv", List.of("x", "w"), List.of("c")))
        .addNode(Onnx.node("Relu", "relu", List.of("c"), List.of("layer")))
        .addNode(Onnx.node("GlobalAveragePool", "gap", List.of("layer"), List.of("g")))
        .addNode(Onnx.node("Flatten", "flat", List.of("g"), List.of("f")))
        .addNode(Onnx.node("Gemm", "gemm", List.of("f", "fc"), List.of("y"),
            Onnx.attr("transB", 1L)))
        .addOutput(Onnx.floatValueInfo("y", new long[] {1, 2})).build();
    ModelProto p = ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
    return CamModel.of(p.toByteArray(), EngineOptions.builder().intraOpThreads(1).build());
  }

  @Test
  void finiteInputThatOverflowsTheNetworkIsRefused() {
    try (CamModel m = doubler()) {
      // 2 * 3e38 exceeds Float.MAX_VALUE (3.4e38): the conv output is +Infinity
      FloatTensor big = FloatTensor.of(new long[] {1, 1, 2, 2}, new float[] {3e38f, 0, 0, 0});
      NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
          () -> new GradCam().rawMaps(CamContext.of(m, big, List.of("layer"),
              Targets.classes(0)), "layer"));
      assertEquals("non-finite value Infinity at index [0, 0] of the model's scores: the input"
          + " overflows the network", e.getMessage());
      // 1e38 doubles to 2e38, still finite: the same model explains it
      FloatTensor fine = FloatTensor.of(new long[] {1, 1, 2, 2}, new float[] {1e38f, 0, 0, 0});
      FloatTensor scores = m.scores(fine);
      assertEquals(0.5e38f, scores.get(0), 1e32f);
    }
  }

  @Test
  void nonFiniteRawMapsAreNeverNormalised() {
    FloatTensor raw = FloatTensor.of(new long[] {2, 2, 2},
        new float[] {0, 1, 2, 3, 4, Float.POSITIVE_INFINITY, 6, 7});
    String expected = "non-finite value Infinity at index [1, 0, 1] of the raw map: the model"
        + " produced non-finite values";
    assertEquals(expected, assertThrows(NonFiniteValueException.class,
        () -> MapOps.scaledAndResized(raw, 4, 4)).getMessage());
    assertEquals(expected, assertThrows(NonFiniteValueException.class,
        () -> MapOps.normalised(raw, 4, 4)).getMessage());
    assertEquals(expected, assertThrows(NonFiniteValueException.class,
        () -> MapOps.reluOverMax(raw)).getMessage());
  }

  @Test
  void finiteTensorsPassUnchanged() {
    FloatTensor t = FloatTensor.of(new long[] {2}, new float[] {Float.MAX_VALUE, -0f});
    assertSame(t, t.requireFinite("t"));
    assertEquals(-1, t.firstNonFinite());
    assertEquals(1, FloatTensor.of(new long[] {2}, new float[] {1, Float.NaN}).firstNonFinite());
    assertArrayEquals(new float[] {Float.MAX_VALUE, -0f}, t.toArray());
  }
}
