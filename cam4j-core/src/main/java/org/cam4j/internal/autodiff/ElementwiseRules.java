package org.cam4j.internal.autodiff;

import java.util.Map;

/** Identity-like ops and broadcasting arithmetic. */
final class ElementwiseRules {
  private ElementwiseRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("Identity", ElementwiseRules::passThrough);
    rules.put("Dropout", ElementwiseRules::passThrough);
    rules.put("Add", n -> addSub(n, false));
    rules.put("Sub", n -> addSub(n, true));
    rules.put("Sum", ElementwiseRules::sum);
    rules.put("Neg", n -> n.addGrad(0, n.emit().neg(n.outputGrad(0))));
    rules.put("Mul", ElementwiseRules::mul);
    rules.put("Div", ElementwiseRules::div);
  }

  /** Dropout at inference is the identity; its optional mask output carries no gradient. */
  private static void passThrough(NodeGradient n) {
    if (n.outputGrad(0) != null) {
      n.addGrad(0, n.outputGrad(0));
    }
  }

  private static void addSub(NodeGradient n, boolean subtract) {
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    if (n.needsGrad(0)) {
      n.addGrad(0, e.unbroadcast(g, n.inputShape(0)));
    }
    if (n.needsGrad(1)) {
      String gb = e.unbroadcast(g, n.inputShape(1));
      n.addGrad(1, subtract ? e.neg(gb) : gb);
    }
  }

  private static void sum(NodeGradient n) {
    for (int i = 0; i < n.inputCount(); i++) {
      if (n.needsGrad(i)) {
        n.addGrad(i, n.emit().unbroadcast(n.outputGrad(0), n.inputShape(i)));
      }
    }
  }

  private static void mul(NodeGradient n) {
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    if (n.needsGrad(0)) {
      n.addGrad(0, e.unbroadcast(e.mul(g, n.input(1)), n.inputShape(0)));
    }
    if (n.needsGrad(1)) {
      n.addGrad(1, e.unbroadcast(e.mul(g, n.input(0)), n.inputShape(1)));
    }
  }

  /** y = a / b: da = g / b, db = -g * y / b. */
  private static void div(NodeGradient n) {
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    String gOverB = e.div(g, n.input(1));
    if (n.needsGrad(0)) {
      n.addGrad(0, e.unbroadcast(gOverB, n.inputShape(0)));
    }
    if (n.needsGrad(1)) {
      String gb = e.neg(e.mul(gOverB, n.output(0)));
      n.addGrad(1, e.unbroadcast(gb, n.inputShape(1)));
    }
  }
}
