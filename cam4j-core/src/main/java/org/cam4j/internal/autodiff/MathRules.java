package org.cam4j.internal.autodiff;

import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.TensorValues;

/** Smooth pointwise functions of transformer blocks: Erf, Gelu, Pow, Sqrt, Reciprocal, PRelu. */
final class MathRules {
  private static final float TWO_OVER_SQRT_PI = (float) (2 / Math.sqrt(Math.PI));
  private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
  private static final float INV_SQRT_2 = (float) (1 / Math.sqrt(2));
  private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
  private static final float GELU_CUBIC = 0.044715f;

  private MathRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("Erf", MathRules::erf);
    rules.put("Gelu", MathRules::gelu);
    rules.put("Pow", MathRules::pow);
    rules.put("Sqrt", MathRules::sqrt);
    rules.put("Reciprocal", MathRules::reciprocal);
    rules.put("PRelu", MathRules::prelu);
  }

  /** y = erf(x): dx = g * 2/sqrt(pi) * exp(-x^2). */
  private static void erf(NodeGradient n) {
    GradientEmitter e = n.emit();
    String x = n.input(0);
    String bell = e.op("Exp", n.inputShape(0), List.of(e.neg(e.mul(x, x))));
    n.addGrad(0, e.mul(n.outputGrad(0), e.mul(bell, e.scalar(TWO_OVER_SQRT_PI))));
  }

  /**
   * approximate=none: y = x Phi(x), dy/dx = Phi(x) + x phi(x) with Phi(x) = (1 + erf(x/sqrt2))/2
   * and phi(x) = exp(-x^2/2)/sqrt(2 pi). approximate=tanh: y = x (1 + t)/2 with
   * t = tanh(u), u = sqrt(2/pi)(x + 0.044715 x^3), dy/dx = (1 + t)/2 + x (1 - t^2) u'/2 with
   * u' = sqrt(2/pi)(1 + 3 * 0.044715 x^2).
   */
  private static void gelu(NodeGradient n) {
    GradientEmitter e = n.emit();
    String x = n.input(0);
    long[] shape = n.inputShape(0);
    String approximate = n.attrs().getString("approximate", "none");
    String x2 = e.mul(x, x);
    String slope;
    if (approximate.equals("none")) {
      String erf = e.op("Erf", shape, List.of(e.mul(x, e.scalar(INV_SQRT_2))));
      String cdf = e.mul(e.add(erf, e.scalar(1f)), e.scalar(0.5f));
      String pdf = e.mul(e.op("Exp", shape, List.of(e.mul(x2, e.scalar(-0.5f)))),
          e.scalar(INV_SQRT_2PI));
      slope = e.add(cdf, e.mul(x, pdf));
    } else if (approximate.equals("tanh")) {
      String cubic = e.add(x, e.mul(e.mul(x2, x), e.scalar(GELU_CUBIC)));
      String t = e.op("Tanh", shape, List.of(e.mul(cubic, e.scalar(SQRT_2_OVER_PI))));
      String du = e.mul(e.add(e.mul(x2, e.scalar(3 * GELU_CUBIC)), e.scalar(1f)),
          e.scalar(SQRT_2_OVER_PI));
      String half = e.mul(e.add(t, e.scalar(1f)), e.scalar(0.5f));
      String tail = e.mul(e.mul(x, e.sub(e.scalar(1f), e.mul(t, t))), e.mul(du, e.scalar(0.5f)));
      slope = e.add(half, tail);
    } else {
      throw n.unsupported("approximate=" + approximate);
    }
    n.addGrad(0, e.mul(n.outputGrad(0), slope));
  }

  /**
   * y = a^b: da = g b a^(b-1), db = g y ln(a). A constant exponent (float or integer typed) is
   * read at build time, so b and b-1 enter as float constants.
   */
  private static void pow(NodeGradient n) {
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    String a = n.input(0);
    long[] b = n.inputShape(1);
    if (n.needsGrad(0)) {
      float[] constant = e.graph().constant(n.input(1)).map(TensorValues::floats).orElse(null);
      String exponent;
      String lowered;
      if (constant != null) {
        float[] minusOne = constant.clone();
        for (int i = 0; i < minusOne.length; i++) {
          minusOne[i] -= 1f;
        }
        exponent = e.floats(b, constant);
        lowered = e.floats(b, minusOne);
      } else {
        exponent = n.input(1);
        lowered = e.sub(exponent, e.scalar(1f));
      }
      long[] full = GradientEmitter.broadcast(n.inputShape(0), b);
      String power = e.op("Pow", full, List.of(a, lowered));
      n.addGrad(0, e.unbroadcast(e.mul(e.mul(g, exponent), power), n.inputShape(0)));
    }
    if (n.needsGrad(1)) {
      String log = e.op("Log", n.inputShape(0), List.of(a));
      n.addGrad(1, e.unbroadcast(e.mul(e.mul(g, n.output(0)), log), b));
    }
  }

  /** y = sqrt(x): dx = g / (2 y). */
  private static void sqrt(NodeGradient n) {
    GradientEmitter e = n.emit();
    n.addGrad(0, e.div(e.mul(n.outputGrad(0), e.scalar(0.5f)), n.output(0)));
  }

  /** y = 1/x: dx = -g y^2. */
  private static void reciprocal(NodeGradient n) {
    GradientEmitter e = n.emit();
    String y = n.output(0);
    n.addGrad(0, e.neg(e.mul(n.outputGrad(0), e.mul(y, y))));
  }

  /** y = x for x > 0, slope * x otherwise (slope broadcast to x): dx = g or g * slope. */
  private static void prelu(NodeGradient n) {
    if (n.needsGrad(1)) {
      throw n.unsupported("gradient with respect to a slope computed inside the graph");
    }
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    String positive = e.greater(n.input(0), e.scalar(0f));
    n.addGrad(0, e.where(positive, g, e.mul(g, n.input(1))));
  }
}
