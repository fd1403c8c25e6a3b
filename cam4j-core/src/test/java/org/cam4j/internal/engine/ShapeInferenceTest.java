package org.cam4j.internal.engine;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cam4j.SharedData;
import org.cam4j.graph.ModelSignature;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.SignatureDiscovery;
import org.cam4j.internal.onnx.NodeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Static shape inference against ONNX Runtime: on every shared model it must reach every node
 * output and agree exactly with the shapes one probing run returns; what it cannot reach is
 * probed, and only that.
 */
class ShapeInferenceTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  static Stream<String> models() {
    return Stream.of("models/random/resnet18_random.onnx",
        "models/random/squeezenet1_1_random.onnx", "models/random/mobilenet_v2_random.onnx",
        "models/random/efficientnet_b0_random.onnx", "models/random/convnext_tiny_random.onnx",
        "models/random/vit_tiny_random.onnx",
        "models/mobilenet_v2_1.0_224_dequant.onnx", "models/mobilenet_v1_0.75_192_dequant.onnx");
  }

  @ParameterizedTest
  @MethodSource("models")
  void inferenceReachesEveryOutputAndMatchesTheProbe(String model) {
    ModelGraph graph = ModelGraph.load(SharedData.path(model));
    ModelSignature signature = SignatureDiscovery.signature(graph);
    long[] input = signature.inputShape(1);
    List<String> outputs = new ArrayList<>();
    for (NodeProto n : graph.nodes()) {
      if (!n.getOpType().equals("Constant")) {
        n.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(outputs::add);
      }
    }
    Map<String, long[]> inferred = ShapeInference.infer(graph, signature.inputName(), input);
    Map<String, long[]> probed = ShapeProbe.probe(ENV, 1, graph, signature.inputName(), input,
        outputs);
    List<String> missing = outputs.stream().filter(o -> !inferred.containsKey(o)).toList();
    assertEquals(List.of(), missing, model + ": outputs static inference did not reach");
    for (String o : outputs) {
      if (probed.containsKey(o)) {
        assertArrayEquals(probed.get(o), inferred.get(o), model + ": shape of " + o);
      }
    }
    assertEquals(outputs.size(), outputs.stream().filter(probed::containsKey).count(),
        model + ": the probe returned every output");
  }

  /** x [1,2,4,4] -> Relu r -> Resize x2 z (not covered) -> Relu y. */
  @Test
  void onlyTheTensorsInferenceCannotReachAreProbed() {
    TinyModel m = TinyModel.opset(13).input("x", 1, 2, 4, 4)
        .weights("scales", new long[] {4}, new float[] {1, 1, 2, 2})
        .node("Relu", in("x"), "r")
        .node("Resize", List.of("r", "", "scales"), List.of("z"))
        .node("Relu", in("z"), "y");
    ModelGraph graph = ModelGraph.of(m.build());
    Map<String, long[]> inferred = ShapeInference.infer(graph, "x", new long[] {1, 2, 4, 4});
    assertArrayEquals(new long[] {1, 2, 4, 4}, inferred.get("r"));
    assertFalse(inferred.containsKey("z"));
    assertFalse(inferred.containsKey("y"));

    Map<String, long[]> shapes = TensorShapes.of(ENV, 1, graph, "x", new long[] {1, 2, 4, 4},
        List.of("r", "z", "y"));
    assertArrayEquals(new long[] {1, 2, 4, 4}, shapes.get("r"));
    assertArrayEquals(new long[] {1, 2, 8, 8}, shapes.get("z"));
    assertArrayEquals(new long[] {1, 2, 8, 8}, shapes.get("y"));
  }

  /** Pools in ceil mode drop a last window that would start in the end padding (as ORT does). */
  @Test
  void ceilModePoolsMatchTheRuntime() {
    for (long size : new long[] {6, 7, 8, 13}) {
      TinyModel m = TinyModel.opset(13).input("x", 1, 1, size, size)
          .node("MaxPool", in("x"), "p", attr("kernel_shape", new long[] {3, 3}),
              attr("strides", new long[] {2, 2}), attr("pads", new long[] {1, 1, 1, 1}),
              attr("ceil_mode", 1L))
          .node("Relu", in("p"), "y");
      ModelGraph graph = ModelGraph.of(m.build());
      long[] input = {1, 1, size, size};
      Map<String, long[]> probed = ShapeProbe.probe(ENV, 1, graph, "x", input, List.of("p"));
      assertTrue(ShapeInference.infer(graph, "x", input).containsKey("p"));
      assertArrayEquals(probed.get("p"), ShapeInference.infer(graph, "x", input).get("p"),
          "size " + size);
    }
  }
}
