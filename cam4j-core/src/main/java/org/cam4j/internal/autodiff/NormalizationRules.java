package org.cam4j.internal.autodiff;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Layer, instance and group normalization. Each normalizes x over some axes,
 * {@code xhat = (x - mean) / sqrt(var + eps)}, then scales and shifts: {@code y = xhat s + b}.
 * With {@code gs = g s} and means over the normalized axes,
 * {@code dx = (gs - mean(gs) - xhat mean(gs xhat)) / sqrt(var + eps)}. The statistics are
 * recomputed in the backward graph. Scale and bias are weights: no gradient is taken for them.
 */
final class NormalizationRules {
  private NormalizationRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("LayerNormalization", NormalizationRules::layerNorm);
    rules.put("InstanceNormalization", NormalizationRules::instanceNorm);
    rules.put("GroupNormalization", NormalizationRules::groupNorm);
  }

  /** Normalizes over axes [axis, rank); Scale and B broadcast over the normalized dims. */
  private static void layerNorm(NodeGradient n) {
    requireWeightsOnly(n);
    if (n.outputGrad(1) != null || n.outputGrad(2) != null) {
      throw n.unsupported("gradient through its Mean or InvStdDev outputs");
    }
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    long axis = n.attrs().getInt("axis", -1);
    int first = (int) (axis < 0 ? axis + x.length : axis);
    long[] axes = range(first, x.length);
    String scaled = e.mul(n.outputGrad(0), n.input(1));
    n.addGrad(0, normalizedGradient(e, n.input(0), scaled, axes,
        n.attrs().getFloat("epsilon", 1e-5f)));
  }

  /** Normalizes each (n, c) over the spatial axes; scale is per channel [C]. */
  private static void instanceNorm(NodeGradient n) {
    requireWeightsOnly(n);
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    long[] perChannel = new long[x.length];
    Arrays.fill(perChannel, 1);
    perChannel[1] = x[1];
    String scaled = e.mul(n.outputGrad(0), e.reshape(n.input(1), perChannel));
    n.addGrad(0, normalizedGradient(e, n.input(0), scaled, range(2, x.length),
        n.attrs().getFloat("epsilon", 1e-5f)));
  }

  /**
   * Normalizes each (n, group) over its C/G channels and the spatial axes, computed on x viewed
   * as [N, G, C/G, S]. Scale is per group [G] in opsets 18 to 20 and per channel [C] from 21.
   */
  private static void groupNorm(NodeGradient n) {
    requireWeightsOnly(n);
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    long groups = n.attrs().getInt("num_groups", 0);
    if (groups <= 0 || x[1] % groups != 0) {
      throw n.unsupported("num_groups " + groups + " for " + x[1] + " channels");
    }
    long spatial = PoolRules.product(x) / (x[0] * x[1]);
    long[] grouped = {x[0], groups, x[1] / groups, spatial};
    long[] scaleShape = e.opset() >= 21 ? new long[] {1, groups, x[1] / groups, 1}
        : new long[] {1, groups, 1, 1};
    String scaled = e.mul(e.reshape(n.outputGrad(0), grouped),
        e.reshape(n.input(1), scaleShape));
    String dx = normalizedGradient(e, e.reshape(n.input(0), grouped), scaled, new long[] {2, 3},
        n.attrs().getFloat("epsilon", 1e-5f));
    n.addGrad(0, e.reshape(dx, x));
  }

  private static void requireWeightsOnly(NodeGradient n) {
    if (n.needsGrad(1) || n.needsGrad(2)) {
      throw n.unsupported("gradient with respect to scale or bias computed inside the graph");
    }
  }

  /** dx for {@code xhat} of x over {@code axes}, given gs = dL/dxhat (see the class comment). */
  private static String normalizedGradient(GradientEmitter e, String x, String gs, long[] axes,
      float epsilon) {
    long[] shape = e.shape(x);
    long count = 1;
    for (long a : axes) {
      count *= shape[(int) a];
    }
    String inverseCount = e.scalar(1f / count);
    String mean = e.mul(e.reduceSum(x, axes, true), inverseCount);
    String centred = e.sub(x, mean);
    String variance = e.mul(e.reduceSum(e.mul(centred, centred), axes, true), inverseCount);
    String std = e.op("Sqrt", e.shape(variance), List.of(e.add(variance, e.scalar(epsilon))));
    String xhat = e.div(centred, std);
    String meanG = e.mul(e.reduceSum(gs, axes, true), inverseCount);
    String meanGx = e.mul(e.reduceSum(e.mul(gs, xhat), axes, true), inverseCount);
    return e.div(e.sub(e.sub(gs, meanG), e.mul(xhat, meanGx)), std);
  }

  private static long[] range(int from, int to) {
    long[] axes = new long[to - from];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = from + i;
    }
    return axes;
  }
}
