package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.AttributeProto;

/** Pooling and reductions. */
final class PoolRules {
  /** Largest pooled plane whose backward multiplies by a constant plane instead of expanding. */
  private static final int MAX_SCALE_PLANE = 4096;

  private PoolRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("GlobalAveragePool", PoolRules::globalAveragePool);
    rules.put("AveragePool", PoolRules::averagePool);
    rules.put("MaxPool", PoolRules::maxPool);
    rules.put("ReduceMean", n -> reduce(n, true, 18));
    rules.put("ReduceSum", n -> reduce(n, false, 13));
  }

  private static void globalAveragePool(NodeGradient n) {
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    long area = 1;
    for (int i = 2; i < x.length; i++) {
      area *= x[i];
    }
    if (area > MAX_SCALE_PLANE) {
      // scaled before broadcasting: the same products, over C values instead of C * area
      n.addGrad(0, e.expand(e.mul(n.outputGrad(0), e.scalar(1f / area)), x));
      return;
    }
    // One broadcasting Mul by a plane of 1/area: the same products as scaling then expanding,
    // without the Expand (on MobileNetV2's [1280, 7, 7]: 0.01 ms of Mul, not 0.06 of Expand).
    long[] plane = x.clone();
    plane[0] = 1;
    plane[1] = 1;
    float[] scale = new float[(int) area];
    Arrays.fill(scale, 1f / area);
    n.addGrad(0, e.mul(n.outputGrad(0), e.floats(plane, scale)));
  }

  /**
   * Each output spreads g / (its divisor) uniformly over its window: a depthwise ConvTranspose
   * with all-ones kernels after dividing by a per-position divisor computed here statically.
   */
  private static void averagePool(NodeGradient n) {
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    long[] y = n.outputShape(0);
    long[] kernel = n.attrs().getInts("kernel_shape");
    SpatialGeometry geo = SpatialGeometry.resolve(n.attrs(), SpatialGeometry.spatial(x),
        SpatialGeometry.spatial(y), kernel);
    Divisor divisor = n.attrs().getInt("count_include_pad", 0) == 0 ? Divisor.INPUT
        : e.opset() < 19 ? Divisor.WHOLE_KERNEL : Divisor.PADDED_INPUT;
    long[] outSpatial = SpatialGeometry.spatial(y);
    float[] inverse = inverseDivisors(geo, SpatialGeometry.spatial(x), outSpatial, divisor);
    long[] divisorShape = new long[y.length];
    Arrays.fill(divisorShape, 1);
    System.arraycopy(outSpatial, 0, divisorShape, 2, outSpatial.length);
    String scaled = e.mul(n.outputGrad(0), e.floats(divisorShape, inverse));
    long channels = x[1];
    long taps = product(kernel);
    long[] weightShape = new long[kernel.length + 2];
    weightShape[0] = channels;
    weightShape[1] = 1;
    System.arraycopy(kernel, 0, weightShape, 2, kernel.length);
    float[] ones = new float[(int) (channels * taps)];
    Arrays.fill(ones, 1f);
    n.addGrad(0, ConvRules.inputGradient(e, scaled, weightShape, ones, x, geo, channels));
  }

  /**
   * The taps of a window an average divides by. With count_include_pad, ONNX Runtime's kernel
   * before opset 19 divides by the whole kernel even where a ceil_mode window runs past the end
   * padding; from opset 19 on (as in PyTorch) only taps inside the padded input count.
   */
  private enum Divisor { INPUT, PADDED_INPUT, WHOLE_KERNEL }

  /** 1/divisor per output position, as ONNX Runtime counts a window's elements. */
  private static float[] inverseDivisors(SpatialGeometry geo, long[] in, long[] out,
      Divisor divisor) {
    int rank = in.length;
    long[][] perAxis = new long[rank][];
    for (int a = 0; a < rank; a++) {
      perAxis[a] = new long[(int) out[a]];
      long lo = divisor == Divisor.INPUT ? 0 : -geo.padBegin()[a];
      long hi = switch (divisor) {
        case INPUT -> in[a];
        case PADDED_INPUT -> in[a] + geo.padEnd()[a];
        case WHOLE_KERNEL -> Long.MAX_VALUE;
      };
      for (int o = 0; o < out[a]; o++) {
        long count = 0;
        for (long k = 0; k < geo.kernel()[a]; k++) {
          long pos = o * geo.strides()[a] - geo.padBegin()[a] + k * geo.dilations()[a];
          if (pos >= lo && pos < hi) {
            count++;
          }
        }
        perAxis[a][o] = count;
      }
    }
    float[] inv = new float[(int) product(out)];
    int[] idx = new int[rank];
    for (int flat = 0; flat < inv.length; flat++) {
      long d = 1;
      for (int a = 0; a < rank; a++) {
        d *= perAxis[a][idx[a]];
      }
      inv[flat] = d == 0 ? 0f : 1f / d;
      for (int a = rank - 1; a >= 0; a--) {
        if (++idx[a] < out[a]) {
          break;
        }
        idx[a] = 0;
      }
    }
    return inv;
  }

  private static void maxPool(NodeGradient n) {
    if (n.emit().opset() >= 16) {
      maxPoolByIndices(n);
    } else if (n.emit().opset() >= 10) {
      maxPoolByWindows(n);
    } else {
      throw n.unsupported("MaxPool before opset 10 (no Slice with steps for its window taps)");
    }
  }

  /**
   * Opset 16+: a twin MaxPool yields flat argmax indices; ScatterElements(reduction=add) sums
   * the gradient of every window into its argmax, so overlapping windows accumulate.
   */
  private static void maxPoolByIndices(NodeGradient n) {
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    long[] y = n.outputShape(0);
    // Row-major flat indices (storage_order 0) whatever the original node asked for.
    AttributeProto[] attrs = n.node().getAttributeList().stream()
        .filter(a -> !a.getName().equals("storage_order")).toArray(AttributeProto[]::new);
    List<String> twin = e.opMulti("MaxPool", 2, List.of(n.input(0)), attrs);
    e.recordShape(twin.get(1), y);
    long total = product(x);
    long count = product(y);
    String flatIdx = e.op("Reshape", new long[] {count}, List.of(twin.get(1), e.ints(count)));
    String flatGrad = e.reshape(n.outputGrad(0), new long[] {count});
    String scattered = e.op("ScatterElements", new long[] {total},
        List.of(e.zeros(new long[] {total}), flatIdx, flatGrad),
        Onnx.attr("axis", 0L), Onnx.attr("reduction", "add"));
    n.addGrad(0, e.reshape(scattered, x));
  }

  /**
   * Opsets 10-15 (no ScatterElements reduction): for every kernel tap, the strided slice of
   * the -inf padded input equals the output exactly where that tap holds the maximum. The first
   * tap in scan order wins ties, as in ONNX Runtime and PyTorch. The per-tap gradients are then
   * placed back by one depthwise ConvTranspose with one-hot kernels, which sums overlaps.
   */
  private static void maxPoolByWindows(NodeGradient n) {
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    long[] y = n.outputShape(0);
    long[] kernel = n.attrs().getInts("kernel_shape");
    int rank = kernel.length;
    SpatialGeometry geo = SpatialGeometry.resolve(n.attrs(), SpatialGeometry.spatial(x),
        SpatialGeometry.spatial(y), kernel);
    long[] pads = new long[2 * x.length];
    for (int a = 0; a < rank; a++) {
      long needed = (y[2 + a] - 1) * geo.strides()[a] + (kernel[a] - 1) * geo.dilations()[a] + 1;
      long end = Math.max(0, needed - geo.padBegin()[a] - x[2 + a]);
      pads[2 + a] = geo.padBegin()[a];
      pads[x.length + 2 + a] = end;
    }
    String source = e.pad(n.input(0), pads, Float.NEGATIVE_INFINITY);
    String g = n.outputGrad(0);
    int taps = (int) product(kernel);
    long[] tapShape = new long[y.length + 1];
    tapShape[0] = y[0];
    tapShape[1] = y[1];
    tapShape[2] = 1;
    System.arraycopy(y, 2, tapShape, 3, rank);
    long[] axes = new long[rank];
    long[] steps = new long[rank];
    for (int a = 0; a < rank; a++) {
      axes[a] = 2 + a;
      steps[a] = geo.strides()[a];
    }
    List<String> perTap = new ArrayList<>();
    String taken = null;
    int[] offset = new int[rank];
    for (int t = 0; t < taps; t++) {
      long[] starts = new long[rank];
      long[] ends = new long[rank];
      for (int a = 0; a < rank; a++) {
        starts[a] = offset[a] * geo.dilations()[a];
        ends[a] = starts[a] + (y[2 + a] - 1) * geo.strides()[a] + 1;
      }
      String window = e.op("Slice", y, List.of(source, e.ints(starts), e.ints(ends),
          e.ints(axes), e.ints(steps)));
      String hit = e.equal(window, n.output(0));
      String first = taken == null ? hit : e.and(hit, e.not(taken));
      taken = taken == null ? hit : e.op("Or", y, List.of(taken, hit));
      perTap.add(e.reshape(e.masked(g, first), tapShape));
      for (int a = rank - 1; a >= 0; a--) {
        if (++offset[a] < kernel[a]) {
          break;
        }
        offset[a] = 0;
      }
    }
    long[] stacked = tapShape.clone();
    stacked[2] = taps;
    String all = e.op("Concat", stacked, perTap, Onnx.attr("axis", 2L));
    long[] grouped = y.clone();
    grouped[1] = y[1] * taps;
    String input = e.reshape(all, grouped);
    long channels = x[1];
    long[] weightShape = new long[rank + 2];
    weightShape[0] = channels * taps;
    weightShape[1] = 1;
    System.arraycopy(kernel, 0, weightShape, 2, rank);
    float[] oneHot = new float[(int) (channels * taps * taps)];
    for (int c = 0; c < channels; c++) {
      for (int t = 0; t < taps; t++) {
        oneHot[(c * taps + t) * taps + t] = 1f;
      }
    }
    n.addGrad(0, ConvRules.inputGradient(e, input, weightShape, oneHot, x, geo, channels));
  }

  /** ReduceMean / ReduceSum: broadcast the gradient back over the reduced axes. */
  private static void reduce(NodeGradient n, boolean mean, int axesAsInputSince) {
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    long[] axes = reduceAxes(n, axesAsInputSince, x.length);
    if (axes.length == 0) {
      n.addGrad(0, n.outputGrad(0));
      return;
    }
    long[] kept = GradientEmitter.reducedShape(x, axes, true);
    String g = e.expand(e.reshape(n.outputGrad(0), kept), x);
    if (mean) {
      g = e.mul(g, e.scalar((float) product(kept) / product(x)));
    }
    n.addGrad(0, g);
  }

  static long[] reduceAxes(NodeGradient n, int axesAsInputSince, int rank) {
    long[] axes;
    if (n.emit().opset() >= axesAsInputSince) {
      axes = n.input(1).isEmpty() ? null : n.emit().constantInts(n.input(1))
          .orElseThrow(() -> n.unsupported("axes computed at run time"));
    } else {
      axes = n.attrs().getInts("axes");
    }
    if (axes == null || axes.length == 0) {
      if (n.attrs().getInt("noop_with_empty_axes", 0) == 1) {
        return new long[0];
      }
      axes = new long[rank];
      for (int i = 0; i < rank; i++) {
        axes[i] = i;
      }
    }
    long[] norm = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      norm[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
    }
    return norm;
  }

  static long product(long[] dims) {
    long p = 1;
    for (long d : dims) {
      p *= d;
    }
    return p;
  }
}
