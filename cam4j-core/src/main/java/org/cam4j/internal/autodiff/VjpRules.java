package org.cam4j.internal.autodiff;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cam4j.engine.BackwardMode;

/** The operator -> gradient rule table. */
public final class VjpRules {
  private static final Map<String, VjpRule> RULES = build();
  private static final Map<String, VjpRule> GUIDED = guided();

  private VjpRules() {
  }

  private static Map<String, VjpRule> build() {
    Map<String, VjpRule> rules = new TreeMap<>();
    ElementwiseRules.register(rules);
    ActivationRules.register(rules);
    ConvRules.register(rules);
    PoolRules.register(rules);
    LinearRules.register(rules);
    ShapeRules.register(rules);
    MathRules.register(rules);
    NormalizationRules.register(rules);
    IndexingRules.register(rules);
    ReductionRules.register(rules);
    EinsumRules.register(rules);
    ResizeRules.register(rules);
    return Map.copyOf(rules);
  }

  private static Map<String, VjpRule> guided() {
    Map<String, VjpRule> rules = new TreeMap<>();
    ActivationRules.registerGuided(rules);
    return Map.copyOf(rules);
  }

  public static Optional<VjpRule> forOp(String opType) {
    return forOp(opType, BackwardMode.GRADIENT);
  }

  /** The rule for an operator in a backward mode: guided rectifiers replace the true ones. */
  public static Optional<VjpRule> forOp(String opType, BackwardMode mode) {
    if (mode == BackwardMode.GUIDED && GUIDED.containsKey(opType)) {
      return Optional.of(GUIDED.get(opType));
    }
    return Optional.ofNullable(RULES.get(opType));
  }

  public static SortedSet<String> supportedOps() {
    return new TreeSet<>(RULES.keySet());
  }
}
