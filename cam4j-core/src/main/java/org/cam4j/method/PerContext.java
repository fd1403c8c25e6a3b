package org.cam4j.method;

import java.util.function.Function;

/**
 * Remembers one value for the last context asked, so that a method called once per layer
 * computes work that does not depend on the layer once. Holds that context until the next.
 */
final class PerContext<T> {
  private CamContext context;
  private T value;

  synchronized T get(CamContext c, Function<CamContext, T> compute) {
    if (c != context) {
      value = compute.apply(c);
      context = c;
    }
    return value;
  }
}
