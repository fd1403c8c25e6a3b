package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.AttributeProto;

/**
 * Conv: the input gradient is the transposed convolution of the output gradient with the same
 * weights. At stride 1 it is written as a Conv with the flipped kernel, which ONNX Runtime's
 * NCHWc layout runs as fast as the forward conv (its ConvTranspose is a per-group GEMM plus a
 * single-threaded col2im, several times slower for depthwise weights). A strided depthwise
 * conv's gradient gets zeros inserted (Pad on channels, then DepthToSpace) and the same stride-1
 * flipped Conv: 5-9 times faster than ConvTranspose on MobileNetV2 in spite of the inserted
 * zeros. Other strided convs keep ConvTranspose, whose GEMM is as good as a Conv's there.
 */
final class ConvRules {
  private ConvRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("Conv", ConvRules::conv);
  }

  private static void conv(NodeGradient n) {
    if (n.needsGrad(1) || n.needsGrad(2)) {
      throw n.unsupported("gradient with respect to weights computed inside the graph");
    }
    long[] x = n.inputShape(0);
    long[] w = n.inputShape(1);
    long[] y = n.outputShape(0);
    SpatialGeometry geo = SpatialGeometry.resolve(n.attrs(), SpatialGeometry.spatial(x),
        SpatialGeometry.spatial(y), SpatialGeometry.spatial(w));
    long group = n.attrs().getInt("group", 1);
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    n.addGrad(0, isDense(x, y, geo, group) ? dense(e, g, n.input(1), x, y)
        : inputGradient(e, g, n.input(1), x, geo, group));
  }

  /**
   * The input gradient of a convolution with Conv-layout weights [M, C/group, k...] (a
   * ConvTranspose takes the same tensor): a Conv with the flipped kernel where the stride is 1
   * and no pad turns negative, else a ConvTranspose.
   */
  private static String inputGradient(GradientEmitter e, String grad, String weights,
      long[] inShape, SpatialGeometry geo, long group) {
    long[] pads = geo.flippedConvPads();
    String kernel = pads == null ? null : FlippedKernel.of(e, weights, group);
    if (kernel != null) {
      return flippedConv(e, grad, kernel, inShape, geo, pads, group);
    }
    long[] gradShape = e.shape(grad);
    long[] zeroInsertedPads = isDepthwise(e.shape(weights), inShape, group)
        && inShape.length == 4 ? geo.zeroInsertedConvPads(SpatialGeometry.spatial(inShape),
            SpatialGeometry.spatial(gradShape)) : null;
    kernel = zeroInsertedPads == null ? null : FlippedKernel.of(e, weights, group);
    if (kernel == null) {
      return transpose(e, grad, weights, inShape, geo, group);
    }
    return flippedConv(e, zeroInserted(e, grad, geo.strides()[0]), kernel, inShape, geo,
        zeroInsertedPads, group);
  }

  /** One input channel per group and one output channel per group. */
  private static boolean isDepthwise(long[] weights, long[] in, long group) {
    return group > 1 && group == in[1] && weights[0] == group && weights[1] == 1;
  }

  /**
   * g [N, C, H, W] with s - 1 zeros after each element on both spatial axes, [N, C, sH, sW]:
   * each element repeated over an s x s block (nearest Resize), times a constant that keeps the
   * block's first position.
   */
  private static String zeroInserted(GradientEmitter e, String grad, long stride) {
    long[] g = e.shape(grad);
    long[] out = {g[0], g[1], g[2] * stride, g[3] * stride};
    String scales = e.floats(new long[] {4}, new float[] {1f, 1f, stride, stride});
    String repeated = e.opset() >= 11
        ? e.op("Resize", out, List.of(grad, e.floats(new long[] {0}, new float[0]), scales),
            Onnx.attr("mode", "nearest"),
            Onnx.attr("coordinate_transformation_mode", "asymmetric"),
            Onnx.attr("nearest_mode", "floor"))
        : e.op("Resize", out, List.of(grad, scales), Onnx.attr("mode", "nearest"));
    float[] firsts = new float[(int) (out[2] * out[3])];
    for (int y = 0; y < out[2]; y += stride) {
      for (int x = 0; x < out[3]; x += stride) {
        firsts[(int) (y * out[3] + x)] = 1f;
      }
    }
    return e.mul(repeated, e.floats(new long[] {1, 1, out[2], out[3]}, firsts));
  }

  /**
   * As {@link #inputGradient(GradientEmitter, String, String, long[], SpatialGeometry, long)}
   * for weights a rule computes (pooling windows); only the form used becomes a constant.
   */
  static String inputGradient(GradientEmitter e, String grad, long[] weightShape,
      float[] weights, long[] inShape, SpatialGeometry geo, long group) {
    long[] pads = geo.flippedConvPads();
    if (pads == null) {
      return transpose(e, grad, e.floats(weightShape, weights), inShape, geo, group);
    }
    String kernel = FlippedKernel.constant(e, weightShape, weights, group);
    return flippedConv(e, grad, kernel, inShape, geo, pads, group);
  }

  private static String flippedConv(GradientEmitter e, String grad, String kernel,
      long[] inShape, SpatialGeometry geo, long[] pads, long group) {
    return e.op("Conv", inShape, List.of(grad, kernel),
        Onnx.attr("kernel_shape", geo.kernel()), Onnx.attr("dilations", geo.dilations()),
        Onnx.attr("pads", pads), Onnx.attr("group", group));
  }

  /** A 1x1 ungrouped, unpadded kernel on a 1x1 map: a matrix product, as a Gemm head. */
  private static boolean isDense(long[] x, long[] y, SpatialGeometry geo, long group) {
    if (group != 1) {
      return false;
    }
    for (int i = 2; i < x.length; i++) {
      int a = i - 2;
      if (x[i] != 1 || y[i] != 1 || geo.kernel()[a] != 1 || geo.padBegin()[a] != 0) {
        return false;
      }
    }
    return true;
  }

  /** dx[N, C] = g[N, M] W[M, C], with W the [M, C, 1...] weights reshaped. */
  private static String dense(GradientEmitter e, String grad, String weights, long[] x,
      long[] y) {
    String g = e.reshape(grad, new long[] {y[0], y[1]});
    String w = e.reshape(weights, new long[] {y[1], x[1]});
    String product = ClassRows.product(e, g, w)
        .orElseGet(() -> e.op("MatMul", new long[] {x[0], x[1]}, List.of(g, w)));
    return e.reshape(product, x);
  }

  /**
   * ConvTranspose with explicit pads and output_padding, never output_shape (whose implicit
   * padding split is wrong for asymmetric and SAME padding).
   */
  private static String transpose(GradientEmitter e, String grad, String weights,
      long[] outShape, SpatialGeometry geo, long group) {
    List<AttributeProto> attrs = new ArrayList<>();
    attrs.add(Onnx.attr("kernel_shape", geo.kernel()));
    attrs.add(Onnx.attr("strides", geo.strides()));
    attrs.add(Onnx.attr("dilations", geo.dilations()));
    attrs.add(Onnx.attr("pads", geo.transposePads()));
    attrs.add(Onnx.attr("group", group));
    if (geo.hasOutputPadding()) {
      attrs.add(Onnx.attr("output_padding", geo.outputPadding()));
    }
    return e.op("ConvTranspose", outShape, List.of(grad, weights),
        attrs.toArray(new AttributeProto[0]));
  }
}
