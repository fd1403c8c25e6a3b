package org.cam4j.method;

import org.cam4j.internal.maps.MapOps;
import static org.cam4j.engine.ReferenceParityTest.check;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cam4j.SharedData;
import org.cam4j.Targets;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.ReferenceParityTest;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Score-CAM and Ablation-CAM, which run the network again per channel, vs pytorch-grad-cam's
 * references (shared/reference): channel weights, raw maps and normalised maps, all within 1e-4
 * of the reference's max (ReferenceParityTest's last-layer bound: float32 forward passes summed
 * in another order). Score-CAM runs one full forward pass per channel, on every set (the
 * slowest take about 20 s on 2 cores). Measured worst cases (weights / raw / map):
 * mobilenet_v2 features.18 4.7e-5 / 3.1e-6 / 6.2e-6, features.13 1.2e-5 / 9.7e-6 / 9.5e-6;
 * squeezenet features.12 1.0e-6 / 4.4e-7 / 1.3e-6, features.7 7.7e-7 / 4.6e-7 / 1.6e-6;
 * resnet18 layer4 5.0e-6 / 8.0e-7 / 2.4e-6; efficientnet_b0 features.8 1.9e-6 / 3.5e-6 /
 * 2.6e-6. Ablation-CAM worst case: resnet18 layer3 2.0e-5 / 6.1e-5 / 4.6e-5.
 */
class PerturbationParityTest {
  static Stream<Arguments> scoreCamSets() {
    return Stream.of(
        random("squeezenet1_1", "/features/features.12/Concat_output_0", 930),
        random("squeezenet1_1", "/features/features.7/Concat_output_0", 930),
        random("mobilenet_v2", "/features/features.18/features.18.2/Clip_output_0", 743),
        random("mobilenet_v2", "/features/features.13/Add_output_0", 743),
        random("resnet18", "/layer4/layer4.1/relu_1/Relu_output_0", 467),
        random("resnet18", "/layer3/layer3.1/relu_1/Relu_output_0", 467),
        random("efficientnet_b0", "/features/features.8/features.8.2/Mul_output_0", 617),
        random("efficientnet_b0", "/features/features.5/features.5.2/Add_output_0", 617));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("scoreCamSets")
  void scoreCamMatchesPyTorch(String model, String input, String refDir, String layer, int cls,
      boolean last) {
    compare(new ScoreCam(), model, input, refDir, layer, cls);
  }

  /**
   * Ablation-CAM on the sets whose layer has minimum 0 (ReLU, ReLU6, Concat of ReLUs), where
   * the peer's ablation value is 0 as in the paper; efficientnet_b0's and the Add layers'
   * activations go negative and the peer uses {@code min - 1e7} there.
   */
  static Stream<Arguments> ablationSets() {
    return Stream.of(
        random("resnet18", "/layer4/layer4.1/relu_1/Relu_output_0", 467),
        random("resnet18", "/layer3/layer3.1/relu_1/Relu_output_0", 467),
        random("squeezenet1_1", "/features/features.12/Concat_output_0", 930),
        random("squeezenet1_1", "/features/features.7/Concat_output_0", 930),
        random("mobilenet_v2", "/features/features.18/features.18.2/Clip_output_0", 743));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("ablationSets")
  void ablationCamMatchesPyTorch(String model, String input, String refDir, String layer,
      int cls, boolean last) {
    compare(new AblationCam(), model, input, refDir, layer, cls);
  }

  private static Arguments random(String model, String layer, int cls) {
    return ReferenceParityTest.set("models/random/" + model + "_random.onnx",
        "reference/input.npy", model, layer, cls, true);
  }

  private static void compare(ModelWeightedCam method, String model, String input,
      String refDir, String layer, int cls) {
    Path dir = SharedData.path(refDir);
    String name = method.name();
    try (CamModel m = CamModel.load(SharedData.path(model))) {
      CamContext context = CamContext.of(m, Npy.read(SharedData.path(input)), List.of(layer),
          Targets.classes(cls));
      FeatureMaps a = FeatureMaps.of(context.activations(layer));
      float[] weights = method.weights(context, layer, a);
      FloatTensor raw = a.weighted(weights).channelSum();
      StringBuilder report = new StringBuilder(refDir + " " + name + "\n");
      check(name + "_weights", FloatTensor.of(new long[] {1, a.c()}, weights),
          Npy.read(dir.resolve(name + "_weights.npy")), true, report);
      check(name + "_raw", raw, Npy.read(dir.resolve(name + "_raw.npy")), true, report);
      check(name, MapOps.normalised(raw, 224, 224), Npy.read(dir.resolve(name + ".npy")), true,
          report);
      System.out.println(report);
    }
  }
}
