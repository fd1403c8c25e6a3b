package org.cam4j.bench;

import java.util.List;

/**
 * Everything measured on one model.
 *
 * @param model the file name
 * @param cases timed rows, warm ones by batch, then the cold ones
 * @param coldRatio cold explanation over cold plain forward (medians)
 * @param warm session counts around each batch's measured calls
 * @param rss peak RSS of child processes, the plain one first
 */
record ModelReport(String model, LayerChoice layers, List<CaseResult> cases, double coldRatio,
    List<WarmCheck> warm, List<RssResult> rss) {

  /**
   * Sessions the model had built after warm-up and after {@code calls} measured calls.
   */
  record WarmCheck(int batch, int sessionsAfterWarmup, int sessionsAfterMeasuring, int calls) {
  }

  /**
   * @param peakRssKb over the processes run
   * @param plainPeakRssKb the same for the plain forward's processes
   * @param target null for the plain process
   */
  record RssResult(String process, Stats peakRssKb, Stats plainPeakRssKb, Target target) {
    /** Median peak over the plain processes' median peak. */
    double ratio() {
      return peakRssKb.median() / plainPeakRssKb.median();
    }
  }
}
