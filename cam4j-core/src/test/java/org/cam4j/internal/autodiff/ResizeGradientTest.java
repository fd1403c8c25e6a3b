package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;

import java.util.stream.Stream;
import org.cam4j.internal.onnx.AttributeProto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resize (nearest and linear) against finite differences, with scales or sizes, up and down, in
 * each coordinate transformation mode. Resize is linear in x, so the check is exact up to
 * float32 rounding.
 */
class ResizeGradientTest {
  static Stream<Arguments> resizes() {
    return Stream.of(
        scales("nearest x2, opset 13 defaults", 13, 2, 2),
        scales("nearest x2 asymmetric floor (torch nearest)", 13, 2, 2,
            attr("coordinate_transformation_mode", "asymmetric"),
            attr("nearest_mode", "floor")),
        scales("nearest x1.5 round_prefer_ceil", 13, 1.5f, 1.5f,
            attr("nearest_mode", "round_prefer_ceil")),
        scales("nearest downsample x0.5", 13, 0.5f, 0.5f),
        scales("linear x2 half_pixel", 13, 2, 2, attr("mode", "linear")),
        scales("linear x2 pytorch_half_pixel", 13, 2, 3, attr("mode", "linear"),
            attr("coordinate_transformation_mode", "pytorch_half_pixel")),
        scales("linear x2 asymmetric, opset 11 roi", 11, 2, 2, attr("mode", "linear"),
            attr("coordinate_transformation_mode", "asymmetric")),
        scales("linear downsample x0.5 half_pixel", 13, 0.5f, 0.5f, attr("mode", "linear")),
        sizes("linear sizes 4x4 -> 7x5 align_corners", 13, 7, 5, attr("mode", "linear"),
            attr("coordinate_transformation_mode", "align_corners")),
        sizes("nearest sizes 4x4 -> 6x3 half_pixel", 13, 6, 3),
        sizes("linear sizes 4x4 -> 6x6 half_pixel_symmetric, opset 19", 19, 6, 6,
            attr("mode", "linear"), attr("coordinate_transformation_mode",
                "half_pixel_symmetric")),
        Arguments.of("linear opset 18 axes [2,3] scales", TinyModel.opset(18)
            .input("x", 1, 2, 4, 4).weights("scales", new long[] {2}, new float[] {2, 2})
            .node("Resize", in("x", "", "scales"), "y", attr("mode", "linear"),
                attr("axes", new long[] {2, 3}))),
        Arguments.of("linear on tokens [N,T,C] along T", TinyModel.opset(13)
            .input("x", 2, 5, 3).weights("scales", new long[] {3}, new float[] {1, 2, 1})
            .node("Resize", in("x", "", "scales"), "y", attr("mode", "linear"))));
  }

  private static Arguments scales(String label, int opset, float sh, float sw,
      AttributeProto... attrs) {
    TinyModel model = TinyModel.opset(opset).input("x", 1, 2, 4, 4)
        .weights("scales", new long[] {4}, new float[] {1, 1, sh, sw});
    String roi = opset < 13 ? "roi" : "";
    if (opset < 13) {
      model.weights("roi", new long[] {0}, new float[0]);
    }
    return Arguments.of(label, model.node("Resize", in("x", roi, "scales"), "y", attrs));
  }

  private static Arguments sizes(String label, int opset, long h, long w,
      AttributeProto... attrs) {
    TinyModel model = TinyModel.opset(opset).input("x", 1, 2, 4, 4).ints("sizes", 1, 2, h, w);
    return Arguments.of(label, model.node("Resize", in("x", "", "", "sizes"), "y", attrs));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resizes")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).elements(32).verify(label);
  }
}
