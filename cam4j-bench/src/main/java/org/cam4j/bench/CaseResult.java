package org.cam4j.bench;

/**
 * One row of a model's table.
 *
 * @param perImage ms per image, or null when the case was refused
 * @param ratio median ms/image over the plain forward's of the same batch and run
 * @param target ceiling on the ratio, or null
 * @param refusal why the library refused the case (e.g. a method that needs a GAP head), or null
 */
public record CaseResult(String name, int batch, Stats perImage, double ratio, Target target,
    String refusal) {

  public static CaseResult refused(String name, int batch, String reason) {
    return new CaseResult(name, batch, null, Double.NaN, null, reason);
  }

  public boolean wasRefused() {
    return refusal != null;
  }
}
