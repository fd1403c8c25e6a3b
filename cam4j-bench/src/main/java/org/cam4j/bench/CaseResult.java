package org.cam4j.bench;

/**
 * One row of a model's table.
 *
 * @param perImage ms per image, or null when the case was refused
 * @param baseline ms per image of the plain forward of the same batch and run
 * @param target ceiling on the ratio, or null
 * @param refusal why the library refused the case (e.g. a method that needs a GAP head), or null
 */
public record CaseResult(String name, int batch, Stats perImage, Stats baseline, Target target,
    String refusal) {

  public static CaseResult refused(String name, int batch, String reason) {
    return new CaseResult(name, batch, null, null, null, reason);
  }

  public boolean wasRefused() {
    return refusal != null;
  }

  /** Median over the plain forward's median: the figure the targets judge. */
  public double ratio() {
    return perImage.median() / baseline.median();
  }

  /** Fastest over the plain forward's fastest: the runs least disturbed by other processes. */
  public double minRatio() {
    return perImage.min() / baseline.min();
  }
}
