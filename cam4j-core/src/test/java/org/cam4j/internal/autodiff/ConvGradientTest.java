package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.AttributeProto;
import org.cam4j.internal.onnx.NodeProto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conv: the input gradient (a Conv with the flipped kernel at stride 1, the same after zero
 * insertion for a strided depthwise conv, a MatMul for a 1x1 head, a ConvTranspose otherwise) against finite differences, and which of them the backward holds.
 */
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

  /**
   * Forms whose input gradient is rewritten (as a Conv with the flipped kernel at stride 1, a
   * MatMul for a 1x1 head) or falls back to ConvTranspose, with the operator expected.
   */
  static Stream<Arguments> rewrites() {
    return Stream.of(
        rewrite("Conv", "depthwise stride 1 pads 1", 3, 7, 3, 3, 3, attr("group", 3L),
            attr("pads", new long[] {1, 1, 1, 1})),
        rewrite("Conv", "depthwise dilation 2 asymmetric pads 2,1,0,2", 3, 8, 3, 3, 3,
            attr("group", 3L), attr("dilations", new long[] {2, 2}),
            attr("pads", new long[] {2, 1, 0, 2})),
        rewrite("Conv", "grouped 4->6 in 2 groups", 4, 7, 6, 3, 2, attr("group", 2L),
            attr("pads", new long[] {1, 1, 1, 1})),
        rewrite("Conv", "ordinary 2->3 asymmetric pads 1,0,0,2", 2, 7, 3, 3, 1,
            attr("pads", new long[] {1, 0, 0, 2})),
        rewrite("Conv", "ordinary dilation 2 pads 1", 2, 8, 3, 3, 1,
            attr("dilations", new long[] {2, 2}), attr("pads", new long[] {1, 1, 1, 1})),
        rewrite("Conv", "SAME_LOWER k4", 2, 7, 3, 4, 1, attr("auto_pad", "SAME_LOWER")),
        Arguments.of("Conv", "3x2 kernel pads 1,0,1,1", TinyModel.opset(13)
            .input("x", 1, 2, 6, 5).random("w", 3, 2, 3, 2).random("b", 3)
            .node("Conv", in("x", "w", "b"), "y", attr("pads", new long[] {1, 0, 1, 1}))),
        Arguments.of("Conv", "1-D depthwise pads 2,0", TinyModel.opset(13)
            .input("x", 1, 3, 9).random("w", 3, 1, 3)
            .node("Conv", in("x", "w"), "y", attr("group", 3L), attr("pads", new long[] {2, 0}))),
        // Strided depthwise: zeros inserted into the gradient (nearest Resize times a 0/1
        // constant), then the stride-1 flipped Conv.
        rewrite("Resize+Conv", "depthwise stride 2 pads 1", 3, 7, 3, 3, 3, attr("group", 3L),
            attr("strides", new long[] {2, 2}), attr("pads", new long[] {1, 1, 1, 1})),
        rewrite("Resize+Conv", "depthwise stride 2 asymmetric pads 0,0,1,1 even input", 3, 8,
            3, 3, 3, attr("group", 3L), attr("strides", new long[] {2, 2}),
            attr("pads", new long[] {0, 0, 1, 1})),
        rewrite("Resize+Conv", "depthwise stride 3 remainder 2", 2, 8, 2, 3, 2,
            attr("group", 2L), attr("strides", new long[] {3, 3})),
        rewrite("Resize+Conv", "depthwise stride 2 dilation 2 pads 2", 2, 9, 2, 3, 2,
            attr("group", 2L), attr("strides", new long[] {2, 2}),
            attr("dilations", new long[] {2, 2}), attr("pads", new long[] {2, 2, 2, 2})),
        Arguments.of("Resize+Conv", "depthwise stride 2 opset 10", TinyModel.opset(10)
            .input("x", 1, 3, 7, 7).random("w", 3, 1, 3, 3)
            .node("Conv", in("x", "w"), "y", attr("group", 3L),
                attr("strides", new long[] {2, 2}), attr("pads", new long[] {1, 1, 1, 1}))),
        // Unequal strides, or a begin pad beyond the kernel reach: ConvTranspose stays.
        rewrite("ConvTranspose", "depthwise strides 2,1", 2, 7, 2, 3, 2, attr("group", 2L),
            attr("strides", new long[] {2, 1}), attr("pads", new long[] {1, 1, 1, 1})),
        rewrite("ConvTranspose", "depthwise 1x1 kernel stride 2 pads 1", 2, 7, 2, 1, 2,
            attr("group", 2L), attr("strides", new long[] {2, 2}),
            attr("pads", new long[] {1, 1, 1, 1})),
        // A pad wider than the dilated kernel reach would turn negative: ConvTranspose stays.
        rewrite("ConvTranspose", "fallback 1x1 kernel pads 1", 2, 5, 3, 1, 1,
            attr("pads", new long[] {1, 1, 1, 1})),
        rewrite("ConvTranspose", "fallback k3 pads 3,0,0,0", 2, 6, 3, 3, 1,
            attr("pads", new long[] {3, 0, 0, 0})),
        // Weights computed at run time: flipped with Reshape/Transpose/Slice in the graph.
        Arguments.of("Conv", "run-time weights grouped 4->6", runTimeWeights(13, 4, 6, 2)),
        Arguments.of("Conv", "run-time weights depthwise", runTimeWeights(13, 3, 3, 3)),
        Arguments.of("Conv", "run-time weights ordinary", runTimeWeights(13, 2, 3, 1)),
        // Slice takes negative steps only from opset 10.
        Arguments.of("ConvTranspose", "run-time weights opset 9", runTimeWeights(9, 2, 3, 1)),
        Arguments.of("MatMul", "1x1 head on a 1x1 map, batch 2", TinyModel.opset(13)
            .input("x", 2, 5, 1, 1).random("w", 4, 5, 1, 1).random("b", 4)
            .node("Conv", in("x", "w", "b"), "y")));
  }

  private static Arguments conv(String label, long channels, long size, long outChannels,
      long kernel, long group, AttributeProto... attrs) {
    return Arguments.of(label, model(channels, size, outChannels, kernel, group, attrs));
  }

  private static Arguments rewrite(String op, String label, long channels, long size,
      long outChannels, long kernel, long group, AttributeProto... attrs) {
    return Arguments.of(op, label, model(channels, size, outChannels, kernel, group, attrs));
  }

  private static TinyModel model(long channels, long size, long outChannels, long kernel,
      long group, AttributeProto... attrs) {
    return TinyModel.opset(13).input("x", 1, channels, size, size)
        .random("w", outChannels, channels / group, kernel, kernel)
        .node("Conv", in("x", "w"), "y", attrs);
  }

  /** A stride-1 3x3 conv, pads 1, whose weights come out of an Identity node. */
  private static TinyModel runTimeWeights(int opset, long channels, long outChannels,
      long group) {
    return TinyModel.opset(opset).input("x", 1, channels, 6, 6)
        .random("w0", outChannels, channels / group, 3, 3)
        .node("Identity", in("w0"), "w")
        .node("Conv", in("x", "w"), "y", attr("group", group),
            attr("pads", new long[] {1, 1, 1, 1}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("convs")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).verify("Conv " + label);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("rewrites")
  void rewrittenInputGradient(String op, String label, TinyModel model) {
    GradientCheck.on(model).verify("Conv " + label + " as " + op);
  }

  /** The backward holds the expected operators ({@code +} between them) and no other form. */
  @ParameterizedTest(name = "{1}")
  @MethodSource("rewrites")
  void backwardOperator(String op, String label, TinyModel model) {
    try (GradientCheck.Run run = GradientCheck.on(model).open()) {
      List<String> backwardOps = run.gradientModel().getGraph().getNodeList().stream()
          .filter(n -> n.getOutput(0).startsWith(GradientEmitter.PREFIX))
          .map(NodeProto::getOpType).toList();
      List<String> expected = List.of(op.split("\\+"));
      for (String e : expected) {
        assertTrue(backwardOps.contains(e), label + ": no " + e + " in " + backwardOps);
      }
      for (String other : List.of("Conv", "ConvTranspose", "MatMul", "Resize")) {
        if (!expected.contains(other)) {
          assertFalse(backwardOps.contains(other), label + ": " + other + " in " + backwardOps);
        }
      }
    }
  }
}
