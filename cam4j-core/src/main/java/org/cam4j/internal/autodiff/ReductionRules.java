package org.cam4j.internal.autodiff;

import java.util.Map;

/** ReduceMax and ReduceMin (ReduceMean and ReduceSum are in {@link PoolRules}). */
final class ReductionRules {
  private ReductionRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("ReduceMax", ReductionRules::extremum);
    rules.put("ReduceMin", ReductionRules::extremum);
  }

  /**
   * y = max (or min) of x over the axes. The gradient goes to the elements equal to y and is
   * split evenly among ties, as torch.amax / torch.amin do:
   * {@code dx = g * [x == y] / count(x == y)}.
   */
  private static void extremum(NodeGradient n) {
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    long[] axes = PoolRules.reduceAxes(n, 18, x.length);
    if (axes.length == 0) {
      n.addGrad(0, n.outputGrad(0));
      return;
    }
    long[] kept = GradientEmitter.reducedShape(x, axes, true);
    String y = e.reshape(n.output(0), kept);
    String hits = e.toFloat(e.equal(n.input(0), y));
    String share = e.div(hits, e.reduceSum(hits, axes, true));
    n.addGrad(0, e.mul(e.reshape(n.outputGrad(0), kept), share));
  }
}
