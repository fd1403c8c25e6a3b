package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.AttributeProto;

/** Conv: the input gradient is a ConvTranspose of the output gradient with the same weights. */
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
    n.addGrad(0, transpose(n.emit(), n.outputGrad(0), n.input(1), x, geo,
        n.attrs().getInt("group", 1)));
  }

  /**
   * ConvTranspose with explicit pads and output_padding, never output_shape (whose implicit
   * padding split is wrong for asymmetric and SAME padding).
   */
  static String transpose(GradientEmitter e, String grad, String weights, long[] outShape,
      SpatialGeometry geo, long group) {
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
