package org.cam4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cam4j.Cam4jException;
import org.cam4j.SharedData;
import org.cam4j.internal.engine.HeadGraph;
import org.cam4j.internal.engine.ModelAccess;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The head after a layer, fed the layer's activations (and its boundary tensors) from a forward
 * run, gives the full network's scores. Tolerance 1e-5 of the largest score: the head runs the
 * same nodes on the same values, but ONNX Runtime may fuse or order the first ops differently.
 */
class HeadModelTest {
  private static final String RESNET = "models/random/resnet18_random.onnx";
  private static final String REAL = "models/mobilenet_v2_1.0_224_dequant.onnx";
  private static final String INPUT = "reference/input.npy";

  static Stream<Arguments> heads() {
    String cat = "reference/real_mobilenet_v2/cat.npy";
    String squeezenet = "models/random/squeezenet1_1_random.onnx";
    return Stream.of(
        Arguments.of(RESNET, INPUT, "/layer4/layer4.1/relu_1/Relu_output_0", List.of()),
        Arguments.of(RESNET, INPUT, "/layer3/layer3.1/relu_1/Relu_output_0", List.of()),
        // inside a residual block: the skip connection is fed from the forward run
        Arguments.of(RESNET, INPUT, "/layer4/layer4.1/relu/Relu_output_0",
            List.of("/layer4/layer4.0/relu_1/Relu_output_0")),
        Arguments.of(REAL, cat, "MobilenetV2/Conv_1/Relu6", List.of()),
        Arguments.of(REAL, cat, "MobilenetV2/expanded_conv_12/expand/Relu6",
            List.of("MobilenetV2/expanded_conv_11/add")),
        // the Clip bounds of the later blocks are Constant nodes: recomputed, not fed
        Arguments.of("models/random/mobilenet_v2_random.onnx", INPUT,
            "/features/features.13/Add_output_0", List.of()),
        Arguments.of(squeezenet, INPUT, "/features/features.12/Concat_output_0", List.of()),
        Arguments.of(squeezenet, INPUT, "/features/features.7/Concat_output_0", List.of()));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("heads")
  void givesTheFullNetworkScores(String model, String input, String layer,
      List<String> boundary) {
    try (CamModel m = CamModel.load(SharedData.path(model))) {
      HeadModel head = m.head(layer);
      assertEquals(boundary, head.boundary());
      assertTrue(HeadGraph.cut(ModelAccess.graph(m), layer, m.signature().score().name())
          .nodeCount() < ModelAccess.graph(m).nodes().size());
      List<String> tensors = new ArrayList<>(boundary);
      tensors.add(layer);
      ForwardResult f = m.forward(Npy.read(SharedData.path(input)), tensors);
      Map<String, FloatTensor> feeds = new HashMap<>();
      boundary.forEach(b -> feeds.put(b, f.tensor(b)));
      assertClose(f.scores(), head.scores(f.tensor(layer), feeds), 1e-5);
      assertSame(head, m.head(layer));
    }
  }

  @Test
  void batchesGiveTheRowByRowScores() {
    String layer = "/layer4/layer4.1/relu/Relu_output_0";
    String skip = "/layer4/layer4.0/relu_1/Relu_output_0";
    try (CamModel m = CamModel.load(SharedData.path(RESNET))) {
      ForwardResult f = m.forward(Npy.read(SharedData.path(INPUT)), List.of(layer, skip));
      FloatTensor a = f.tensor(layer);
      float[] half = a.toArray();
      for (int i = 0; i < half.length; i++) {
        half[i] *= 0.5f;
      }
      FloatTensor both = FloatTensor.stack(List.of(a.row(0), FloatTensor.of(a.shape(), half)
          .row(0)));
      FloatTensor skips = FloatTensor.stack(List.of(f.tensor(skip).row(0),
          f.tensor(skip).row(0)));
      HeadModel head = m.head(layer);
      FloatTensor batch = head.scores(both, Map.of(skip, skips));
      assertTrue(head.batches(), "a Flatten + Gemm head takes any batch");
      for (int r = 0; r < 2; r++) {
        FloatTensor one = head.scores(FloatTensor.stack(List.of(both.row(r))),
            Map.of(skip, FloatTensor.stack(List.of(skips.row(r)))));
        assertClose(one, FloatTensor.stack(List.of(batch.row(r))), 1e-6);
      }
    }
  }

  @Test
  void fixedBatchHeadsTakeABatchOnceTheirReshapeCopiesIt() {
    // the real MobileNetV2 ends in Reshape(logits/shape = [1, 1001]); the head's copy reshapes
    // to [0, 1001], dimension 0 copied from its input
    String layer = "MobilenetV2/Conv_1/Relu6";
    try (CamModel m = CamModel.load(SharedData.path(REAL))) {
      FloatTensor cat = m.forward(Npy.read(SharedData.path("reference/real_mobilenet_v2/cat.npy")),
          List.of(layer)).tensor(layer);
      FloatTensor dog = m.forward(Npy.read(SharedData.path("reference/real_mobilenet_v2/dog.npy")),
          List.of(layer)).tensor(layer);
      HeadModel head = m.head(layer);
      FloatTensor batch = head.scores(FloatTensor.stack(List.of(cat.row(0), dog.row(0),
          cat.row(0))), Map.of());
      assertTrue(head.batches(), "three rows ran as one batch");
      assertArrayEquals(new long[] {3, 1001}, batch.shape());
      // each row against its own run of one row: independent rows, up to summation order
      assertClose(head.scores(cat, Map.of()), FloatTensor.stack(List.of(batch.row(0))), 1e-6);
      assertClose(head.scores(dog, Map.of()), FloatTensor.stack(List.of(batch.row(1))), 1e-6);
      assertArrayEquals(batch.row(0).toArray(), batch.row(2).toArray());
      assertClose(m.scores(Npy.read(SharedData.path("reference/real_mobilenet_v2/dog.npy"))),
          FloatTensor.stack(List.of(batch.row(1))), 1e-5);
    }
  }

  @Test
  void refusesTheScoreAndLayersAfterIt() {
    try (CamModel m = CamModel.load(SharedData.path(RESNET))) {
      Cam4jException e = assertThrows(Cam4jException.class, () -> m.head("logits"));
      assertEquals("layer 'logits' is the score itself: nothing follows it", e.getMessage());
      assertThrows(Cam4jException.class, () -> m.head("no such tensor"));
    }
  }

  private static void assertClose(FloatTensor expected, FloatTensor actual, double relative) {
    assertArrayEquals(expected.shape(), actual.shape());
    double scale = 0;
    for (int i = 0; i < expected.size(); i++) {
      scale = Math.max(scale, Math.abs(expected.get(i)));
    }
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), relative * scale, "element " + i);
    }
  }
}
