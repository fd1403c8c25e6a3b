package org.cam4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** What a sample measures. */
enum Clock {
  /** Elapsed time: what a user waits, but other processes on the machine inflate it. */
  WALL {
    @Override
    long nanos() {
      return System.nanoTime();
    }
  },
  /**
   * CPU time of the calling thread. With one ONNX Runtime intra-op thread the session runs on
   * the caller, so this is the call's own work: time other processes take from the core is not
   * counted (cache and memory-bus contention from them still is).
   */
  THREAD_CPU {
    @Override
    long nanos() {
      return THREADS.getCurrentThreadCpuTime();
    }
  };

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  abstract long nanos();
}
