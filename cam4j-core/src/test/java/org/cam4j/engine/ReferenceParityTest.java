package org.cam4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cam4j.SharedData;
import org.cam4j.io.Npy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Activations and gradients from our ONNX autodiff vs PyTorch autograd (pytorch-grad-cam's
 * references in shared/reference).
 */
class ReferenceParityTest {
  static Stream<Arguments> sets() {
    return Stream.of(
        Arguments.of("resnet18", "/layer4/layer4.1/relu_1/Relu_output_0", 467),
        Arguments.of("resnet18", "/layer3/layer3.1/relu_1/Relu_output_0", 467),
        Arguments.of("squeezenet1_1", "/features/features.12/Concat_output_0", 930),
        Arguments.of("squeezenet1_1", "/features/features.7/Concat_output_0", 930),
        Arguments.of("mobilenet_v2", "/features/features.18/features.18.2/Clip_output_0", 743),
        Arguments.of("mobilenet_v2", "/features/features.13/Add_output_0", 743),
        Arguments.of("efficientnet_b0", "/features/features.8/features.8.2/Mul_output_0", 617),
        Arguments.of("efficientnet_b0", "/features/features.5/features.5.2/Add_output_0", 617));
  }

  @ParameterizedTest
  @MethodSource("sets")
  void matchesReference(String model, String layer, int cls) {
    Path dir = SharedData.path("reference/" + model + "/" + layer.replaceAll("[^0-9A-Za-z_]", "_"));
    FloatTensor input = Npy.read(SharedData.path("reference/input.npy"));
    try (CamModel m = CamModel.load(SharedData.path("models/random/" + model + "_random.onnx"))) {
      GradientResult r = m.forwardBackward(input, List.of(layer), ScoreSeed.topClass(1));
      assertEquals(cls, r.explainedClasses()[0]);
      double da = maxRelDiff(r.activation(layer), Npy.read(dir.resolve("activations.npy")));
      double dg = maxRelDiff(r.gradient(layer), Npy.read(dir.resolve("gradients.npy")));
      System.out.printf("%s %s: activations %.2e gradients %.2e%n", model, layer, da, dg);
      assertTrue(da < 1e-4, "activations " + da);
      assertTrue(dg < 1e-4, "gradients " + dg);
    }
  }

  static double maxRelDiff(FloatTensor a, FloatTensor b) {
    assertEquals(List.of(java.util.Arrays.stream(b.shape()).boxed().toArray()),
        List.of(java.util.Arrays.stream(a.shape()).boxed().toArray()));
    double max = 0;
    double scale = 0;
    for (int i = 0; i < a.size(); i++) {
      max = Math.max(max, Math.abs(a.get(i) - b.get(i)));
      scale = Math.max(scale, Math.abs(b.get(i)));
    }
    return max / scale;
  }
}
