package org.cam4j.bench;

import org.cam4j.tensor.FloatTensor;

/** Keeps results observable so the JIT cannot drop the work that produced them. */
final class Sink {
  private static volatile float last;

  private Sink() {
  }

  static void consume(FloatTensor t) {
    last = t.get(t.size() - 1);
  }
}
