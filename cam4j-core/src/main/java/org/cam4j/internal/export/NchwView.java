package org.cam4j.internal.export;

import java.util.List;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.internal.graph.Onnx;

/**
 * Nodes that read a layer's tensor as [N,C,h,w] whatever its layout, as
 * {@link FeatureLayout#toNchw} does in the library: NCHW as is, NHWC transposed, tokens
 * [N,k+h·w,C] without the k prefix tokens, viewed as [N,h,w,C] and transposed.
 */
public final class NchwView {
  private static final long[] CHANNELS_FIRST = {0, 3, 1, 2};

  private NchwView() {
  }

  /**
   * The [N,C,h,w] shape of a tensor of this shape and resolved layout.
   *
   * @throws IllegalArgumentException when the layout is still open
   */
  public static long[] shape(FeatureLayout layout, long[] shape) {
    if (!layout.isResolved()) {
      throw new IllegalArgumentException("layout " + layout + " is not resolved");
    }
    return switch (layout.kind()) {
      case NCHW -> shape.clone();
      case NHWC -> new long[] {shape[0], shape[3], shape[1], shape[2]};
      case TOKENS -> new long[] {shape[0], shape[2], layout.gridHeight(), layout.gridWidth()};
    };
  }

  /** Writes the view of {@code tensor} (of {@code shape}) and returns its name. */
  static String write(NodeWriter w, String tensor, FeatureLayout layout, long[] shape) {
    return switch (layout.kind()) {
      case NCHW -> tensor;
      case NHWC -> w.op("Transpose", List.of(tensor), Onnx.attr("perm", CHANNELS_FIRST));
      case TOKENS -> {
        long k = layout.prefixTokens();
        // Slice's starts/ends/axes are inputs from opset 10; exports are opset 10 or later
        String grid = k == 0 ? tensor : w.op("Slice", List.of(tensor, w.ints(k),
            w.ints(shape[1]), w.ints(1)));
        String cells = w.op("Reshape", List.of(grid, w.ints(shape[0], layout.gridHeight(),
            layout.gridWidth(), shape[2])));
        yield w.op("Transpose", List.of(cells), Onnx.attr("perm", CHANNELS_FIRST));
      }
    };
  }
}
