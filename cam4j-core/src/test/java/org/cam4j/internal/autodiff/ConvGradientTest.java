package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;

import java.util.stream.Stream;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.AttributeProto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Conv: the input gradient (a ConvTranspose) against finite differences. */
class ConvGradientTest {
  static Stream<Arguments> convs() {
    return Stream.of(
        conv("k3 stride 1", 2, 7, 3, 3, 1, attr("kernel_shape", new long[] {3, 3})),
        conv("stride 2 pads 1", 2, 7, 3, 3, 1, attr("strides", new long[] {2, 2}),
            attr("pads", new long[] {1, 1, 1, 1})),
        conv("stride 3 pads 1", 2, 7, 3, 3, 1, attr("strides", new long[] {3, 3}),
            attr("pads", new long[] {1, 1, 1, 1})),
        conv("stride 3 remainder 2", 2, 8, 3, 3, 1, attr("strides", new long[] {3, 3})),
        conv("stride 2 remainder 1", 2, 8, 3, 3, 1, attr("strides", new long[] {2, 2})),
        conv("dilation 2", 2, 7, 3, 3, 1, attr("dilations", new long[] {2, 2}),
            attr("pads", new long[] {2, 2, 2, 2})),
        conv("dilation 2 stride 2", 2, 8, 2, 3, 1, attr("dilations", new long[] {2, 2}),
            attr("strides", new long[] {2, 2}), attr("pads", new long[] {1, 1, 1, 1})),
        conv("group 2", 4, 7, 4, 3, 2, attr("group", 2L), attr("pads", new long[] {1, 1, 1, 1})),
        conv("depthwise", 3, 7, 3, 3, 3, attr("group", 3L), attr("strides", new long[] {2, 2}),
            attr("pads", new long[] {1, 1, 1, 1})),
        conv("depthwise multiplier 2", 3, 7, 6, 3, 3, attr("group", 3L)),
        conv("asymmetric pads 0,0,1,1 stride 2", 2, 7, 3, 3, 1,
            attr("strides", new long[] {2, 2}), attr("pads", new long[] {0, 0, 1, 1})),
        conv("asymmetric pads 0,0,1,1 stride 2 even", 2, 8, 3, 3, 1,
            attr("strides", new long[] {2, 2}), attr("pads", new long[] {0, 0, 1, 1})),
        conv("asymmetric pads 1,0,0,2", 2, 7, 3, 3, 1, attr("pads", new long[] {1, 0, 0, 2})),
        conv("asymmetric pads 1,0,0,2 stride 2", 2, 7, 3, 3, 1,
            attr("strides", new long[] {2, 2}), attr("pads", new long[] {1, 0, 0, 2})),
        conv("asymmetric pads 1,0,0,2 stride 3", 2, 8, 3, 3, 1,
            attr("strides", new long[] {3, 3}), attr("pads", new long[] {1, 0, 0, 2})),
        conv("SAME_UPPER stride 2", 2, 7, 3, 3, 1, attr("auto_pad", "SAME_UPPER"),
            attr("strides", new long[] {2, 2})),
        conv("SAME_UPPER stride 2 even input", 2, 8, 3, 3, 1, attr("auto_pad", "SAME_UPPER"),
            attr("strides", new long[] {2, 2})),
        conv("SAME_UPPER k2 stride 1", 2, 7, 3, 2, 1, attr("auto_pad", "SAME_UPPER")),
        conv("SAME_LOWER stride 2 even input", 2, 8, 3, 3, 1, attr("auto_pad", "SAME_LOWER"),
            attr("strides", new long[] {2, 2})),
        conv("SAME_LOWER k2 stride 1", 2, 7, 3, 2, 1, attr("auto_pad", "SAME_LOWER")),
        conv("SAME_LOWER k4 stride 3", 2, 8, 2, 4, 1, attr("auto_pad", "SAME_LOWER"),
            attr("strides", new long[] {3, 3})),
        conv("VALID stride 2", 2, 8, 3, 3, 1, attr("auto_pad", "VALID"),
            attr("strides", new long[] {2, 2})),
        Arguments.of("bias, 3x2 kernel, strides 2,1", TinyModel.opset(13).input("x", 1, 2, 7, 6)
            .random("w", 3, 2, 3, 2).random("b", 3)
            .node("Conv", in("x", "w", "b"), "y", attr("strides", new long[] {2, 1}),
                attr("pads", new long[] {1, 0, 0, 1}))),
        Arguments.of("1-D stride 2 pads 1,0", TinyModel.opset(13).input("x", 1, 2, 9)
            .random("w", 3, 2, 3)
            .node("Conv", in("x", "w"), "y", attr("strides", new long[] {2}),
                attr("pads", new long[] {1, 0}))),
        Arguments.of("1-D SAME_UPPER stride 3", TinyModel.opset(11).input("x", 2, 2, 10)
            .random("w", 2, 2, 4)
            .node("Conv", in("x", "w"), "y", attr("strides", new long[] {3}),
                attr("auto_pad", "SAME_UPPER"))));
  }

  private static Arguments conv(String label, long channels, long size, long outChannels,
      long kernel, long group, AttributeProto... attrs) {
    TinyModel m = TinyModel.opset(13).input("x", 1, channels, size, size)
        .random("w", outChannels, channels / group, kernel, kernel)
        .node("Conv", in("x", "w"), "y", attrs);
    return Arguments.of(label, m);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("convs")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).verify("Conv " + label);
  }
}
