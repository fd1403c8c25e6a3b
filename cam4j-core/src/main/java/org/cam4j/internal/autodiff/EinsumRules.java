package org.cam4j.internal.autodiff;

import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.Onnx;

/**
 * Two-operand Einsum with an explicit output and no ellipsis or repeated index within a term,
 * the forms attention is written in ("bhqd,bhkd->bhqk", "bhqk,bhkd->bhqd", "bij,bjk->bik").
 * For {@code C = einsum("A,B->C", a, b)}: {@code da = einsum("C,B->A", g, b)} and
 * {@code db = einsum("A,C->B", a, g)}: each operand's gradient contracts the output gradient with
 * the other operand over every index the operand lacks.
 */
final class EinsumRules {
  private EinsumRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("Einsum", EinsumRules::einsum);
  }

  private static void einsum(NodeGradient n) {
    String equation = n.attrs().getString("equation", "").replace(" ", "");
    int arrow = equation.indexOf("->");
    if (arrow < 0) {
      throw n.unsupported("equation '" + equation + "' without an explicit output");
    }
    if (equation.contains(".")) {
      throw n.unsupported("equation '" + equation + "' with an ellipsis");
    }
    String[] operands = equation.substring(0, arrow).split(",", -1);
    String out = equation.substring(arrow + 2);
    if (operands.length != 2) {
      throw n.unsupported("equation '" + equation + "' with " + operands.length + " operands"
          + " (only two)");
    }
    String a = operands[0];
    String b = operands[1];
    for (String term : List.of(a, b, out)) {
      if (term.chars().distinct().count() != term.length()) {
        throw n.unsupported("equation '" + equation + "' repeats an index in '" + term + "'");
      }
    }
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    if (n.needsGrad(0)) {
      requireCovered(n, equation, a, b, out);
      n.addGrad(0, e.op("Einsum", n.inputShape(0), List.of(g, n.input(1)),
          Onnx.attr("equation", out + "," + b + "->" + a)));
    }
    if (n.needsGrad(1)) {
      requireCovered(n, equation, b, a, out);
      n.addGrad(1, e.op("Einsum", n.inputShape(1), List.of(n.input(0), g),
          Onnx.attr("equation", a + "," + out + "->" + b)));
    }
  }

  /** An index summed within one operand alone would need a broadcast, not a contraction. */
  private static void requireCovered(NodeGradient n, String equation, String term, String other,
      String out) {
    for (char c : term.toCharArray()) {
      if (other.indexOf(c) < 0 && out.indexOf(c) < 0) {
        throw n.unsupported("equation '" + equation + "' sums index '" + c
            + "' within one operand");
      }
    }
  }
}
