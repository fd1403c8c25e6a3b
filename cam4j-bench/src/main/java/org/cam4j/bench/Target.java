package org.cam4j.bench;

/** A ceiling the issue sets on a ratio (to the plain forward, or to the plain process's RSS). */
public record Target(double limit) {
  public static final Target DEFAULT_LAYER = new Target(1.10);
  public static final Target SINGLE_LAYER = new Target(1.6);
  public static final Target ALL_BLOCKS = new Target(2.0);
  public static final Target PEAK_RSS = new Target(1.5);
  /** Soak: the later checkpoint may exceed the earlier one by at most 5 %. */
  public static final Target FLAT = new Target(1.05);

  public boolean met(double ratio) {
    return ratio <= limit;
  }

  /** "pass", or "miss by N %" relative to the ceiling. */
  public String verdict(double ratio) {
    if (met(ratio)) {
      return "pass";
    }
    return String.format(java.util.Locale.ROOT, "miss by %.1f %%", (ratio / limit - 1) * 100);
  }

  public String label() {
    return String.format(java.util.Locale.ROOT, "<= %.2fx", limit);
  }
}
