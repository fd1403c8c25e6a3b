package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cam4j.SharedData;
import org.cam4j.Targets;
import org.cam4j.engine.BackwardMode;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.GradientResult;
import org.cam4j.explain.Target;
import org.cam4j.internal.engine.ModelAccess;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;

/**
 * MobileNetV2 has no Relu, only ReLU6 exported as Clip with its bounds in Constant nodes: the
 * guided graph must find those bounds, or guided backprop would be a plain gradient.
 */
class GuidedBackpropRealModelTest {
  @Test
  void relu6OfAnExportedMobileNetIsGuided() {
    FloatTensor x = Npy.read(SharedData.path("reference/input.npy"));
    try (CamModel m = CamModel.load(SharedData.path("models/random/mobilenet_v2_random.onnx"))) {
      List<NodeProto> clips = ModelAccess.graph(m).nodes().stream()
          .filter(n -> n.getOpType().equals("Clip")).toList();
      String beforeLastClip = clips.get(clips.size() - 1).getInput(0);
      String input = m.signature().inputName();
      List<String> layers = List.of(beforeLastClip, input);
      List<Target> seed = Targets.classes(7);
      GradientResult guided = m.forwardBackward(x, layers, seed, BackwardMode.GUIDED);
      GradientResult plain = m.forwardBackward(x, layers, seed);
      assertTrue(count(guided.gradient(beforeLastClip), -1) == 0
          && count(guided.gradient(beforeLastClip), 1) > 0,
          "guided gradient below a ReLU6 must be >= 0 and not all zero");
      assertTrue(count(plain.gradient(beforeLastClip), -1) > 0,
          "the true gradient there has negative entries");

      FloatTensor gb = InputChannels.maxAbs(guided.gradient(input), m.signature().layout());
      FloatTensor saliency = InputChannels.maxAbs(plain.gradient(input), m.signature().layout());
      assertArrayEquals(new long[] {1, 224, 224}, gb.shape());
      int differ = 0;
      for (int i = 0; i < gb.size(); i++) {
        differ += Math.abs(gb.get(i) - saliency.get(i)) > 1e-6f * (1 + saliency.get(i)) ? 1 : 0;
      }
      assertTrue(differ > gb.size() / 2, "guided input gradients barely differ from plain ones");
    }
  }

  private static int count(FloatTensor t, int sign) {
    int n = 0;
    for (int i = 0; i < t.size(); i++) {
      n += Math.signum(t.get(i)) == sign ? 1 : 0;
    }
    return n;
  }
}
