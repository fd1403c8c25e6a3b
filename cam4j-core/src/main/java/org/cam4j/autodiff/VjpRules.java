package org.cam4j.autodiff;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** The operator -> gradient rule table. */
public final class VjpRules {
  private static final Map<String, VjpRule> RULES = build();

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
    return Map.copyOf(rules);
  }

  public static Optional<VjpRule> forOp(String opType) {
    return Optional.ofNullable(RULES.get(opType));
  }

  public static SortedSet<String> supportedOps() {
    return new TreeSet<>(RULES.keySet());
  }
}
