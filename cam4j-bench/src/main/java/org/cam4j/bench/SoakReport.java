package org.cam4j.bench;

import java.util.List;

/** The memory soak: the same explanation many times in one child process. */
record SoakReport(String model, int explanations, List<Checkpoint> checkpoints) {

  /** Memory after {@code explanations} calls; heap is measured after a full collection. */
  record Checkpoint(int explanations, long heapKb, long rssKb, long peakRssKb, int sessions) {
  }

  /** The first checkpoint (a tenth of the run): the baseline for flatness. */
  Checkpoint first() {
    return checkpoints.get(0);
  }

  Checkpoint last() {
    return checkpoints.get(checkpoints.size() - 1);
  }
}
