package org.cam4j.internal.autodiff;

import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.TensorValues;

/**
 * Resize in nearest and linear modes. Both are separable and linear in x: along each resized
 * axis k, y = A_k x with A_k [out_k, in_k] the interpolation matrix, built here from the static
 * sizes exactly as ONNX Runtime samples (coordinate transformation, clamping, nearest rounding).
 * The gradient applies the adjoints: dx = A_k^T g along each axis, as a MatMul by A_k on the
 * axis moved last.
 */
final class ResizeRules {
  private ResizeRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("Resize", ResizeRules::resize);
  }

  private static void resize(NodeGradient n) {
    GradientEmitter e = n.emit();
    if (e.opset() < 11) {
      throw n.unsupported("opset " + e.opset() + " form (only opset 11 and later)");
    }
    String mode = n.attrs().getString("mode", "nearest");
    if (!mode.equals("nearest") && !mode.equals("linear")) {
      throw n.unsupported("mode " + mode + " (only nearest and linear)");
    }
    if (n.attrs().getInt("antialias", 0) != 0) {
      throw n.unsupported("antialias");
    }
    String transform = n.attrs().getString("coordinate_transformation_mode", "half_pixel");
    if (transform.equals("tf_crop_and_resize")) {
      throw n.unsupported("coordinate_transformation_mode tf_crop_and_resize");
    }
    if (!n.attrs().getString("keep_aspect_ratio_policy", "stretch").equals("stretch")) {
      throw n.unsupported("keep_aspect_ratio_policy "
          + n.attrs().getString("keep_aspect_ratio_policy", ""));
    }
    long[] in = n.inputShape(0);
    long[] out = n.outputShape(0);
    float[] scales = scales(n, in, out);
    String g = n.outputGrad(0);
    for (int k = 0; k < in.length; k++) {
      if (in[k] == out[k] && scales[k] == 1f) {
        continue;
      }
      float[] matrix = mode.equals("linear")
          ? linear(in[k], out[k], scales[k], transform)
          : nearest(in[k], out[k], scales[k], transform,
              n.attrs().getString("nearest_mode", "round_prefer_floor"), n);
      g = alongAxis(e, g, k, e.floats(new long[] {out[k], in[k]}, matrix), in[k]);
    }
    n.addGrad(0, g);
  }

  /** g with axis k contracted against A [out_k, in_k]: the axis moved last, MatMul, moved back. */
  private static String alongAxis(GradientEmitter e, String g, int k, String matrix, long inK) {
    long[] shape = e.shape(g);
    int last = shape.length - 1;
    long[] perm = new long[shape.length];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    perm[k] = last;
    perm[last] = k;
    String moved = k == last ? g : e.transpose(g, perm);
    long[] product = e.shape(moved);
    product[last] = inK;
    String contracted = e.op("MatMul", product, List.of(moved, matrix));
    return k == last ? contracted : e.transpose(contracted, perm);
  }

  /**
   * Per-axis scales: the constant scales input, else out/in (sizes given, as ONNX Runtime
   * derives them), for the axes listed in the opset 18 axes attribute or all axes.
   */
  private static float[] scales(NodeGradient n, long[] in, long[] out) {
    long[] axes = n.attrs().getInts("axes");
    float[] given = n.input(2).isEmpty() ? null : n.emit().graph().constant(n.input(2))
        .map(TensorValues::floats).filter(v -> v.length > 0).orElse(null);
    float[] scales = new float[in.length];
    for (int k = 0; k < in.length; k++) {
      scales[k] = (float) out[k] / in[k];
    }
    if (given != null) {
      for (int i = 0; i < given.length; i++) {
        int k = axes == null ? i : (int) (axes[i] < 0 ? axes[i] + in.length : axes[i]);
        scales[k] = given[i];
      }
    }
    return scales;
  }

  /** Where output index i samples the input, before clamping or rounding. */
  private static double source(long i, long in, long out, float scale, String transform) {
    return switch (transform) {
      case "half_pixel" -> (i + 0.5) / scale - 0.5;
      case "pytorch_half_pixel" -> out > 1 ? (i + 0.5) / scale - 0.5 : 0;
      case "align_corners" -> out == 1 ? 0 : i * (double) (in - 1) / (out - 1);
      case "asymmetric" -> i / (double) scale;
      case "tf_half_pixel_for_nearest" -> (i + 0.5) / scale;
      case "half_pixel_symmetric" -> {
        double adjustment = out / (scale * (double) in);
        double offset = in / 2.0 * (1 - adjustment);
        yield offset + (i + 0.5) / scale - 0.5;
      }
      default -> throw new IllegalArgumentException(transform);
    };
  }

  /** Two taps per output: floor and floor + 1 of the source clamped to [0, in - 1]. */
  private static float[] linear(long in, long out, float scale, String transform) {
    float[] a = new float[(int) (out * in)];
    for (long i = 0; i < out; i++) {
      double x = Math.max(0, Math.min(in - 1, source(i, in, out, scale, transform)));
      long x0 = (long) Math.floor(x);
      long x1 = Math.min(x0 + 1, in - 1);
      double w1 = x - x0;
      a[(int) (i * in + x0)] += (float) (1 - w1);
      a[(int) (i * in + x1)] += (float) w1;
    }
    return a;
  }

  /** One tap per output: the source rounded by nearest_mode, clamped to [0, in - 1]. */
  private static float[] nearest(long in, long out, float scale, String transform,
      String rounding, NodeGradient n) {
    float[] a = new float[(int) (out * in)];
    for (long i = 0; i < out; i++) {
      double x = source(i, in, out, scale, transform);
      boolean half = x == Math.floor(x) + 0.5;
      long k = switch (rounding) {
        case "round_prefer_floor" -> half ? (long) Math.floor(x) : Math.round(x);
        case "round_prefer_ceil" -> half ? (long) Math.ceil(x) : Math.round(x);
        case "floor" -> (long) Math.floor(x);
        case "ceil" -> (long) Math.ceil(x);
        default -> throw n.unsupported("nearest_mode " + rounding);
      };
      a[(int) (i * in + Math.max(0, Math.min(in - 1, k)))] = 1f;
    }
    return a;
  }
}
