package org.cam4j.metrics;

import java.util.Arrays;
import org.cam4j.InvalidInputException;

/**
 * What a removed pixel becomes, in the model's preprocessed input space (after resizing and
 * normalisation, where the metrics perturb the input). A constant 0 there is not black: it is the
 * dataset mean colour for mean/std-normalised inputs, mid-grey for inputs scaled to [-1, 1], and
 * black only for inputs in [0, 1]. Immutable.
 */
public final class Baseline {
  private static final Baseline ZERO = new Baseline(0f, false);
  private static final Baseline BLUR = new Baseline(0f, true);

  private final float value;
  private final boolean blur;

  private Baseline(float value, boolean blur) {
    this.value = value;
    this.blur = blur;
  }

  /** Every value of the image set to 0 (RISE's deletion substrate). */
  public static Baseline zero() {
    return ZERO;
  }

  /** Every value of the image set to {@code value}. */
  public static Baseline constant(float value) {
    if (!Float.isFinite(value)) {
      throw new InvalidInputException("baseline value must be finite, got " + value);
    }
    return value == 0f ? ZERO : new Baseline(value, false);
  }

  /**
   * A blurred copy of the image (RISE's insertion substrate): each channel convolved with RISE's
   * 11x11 Gaussian kernel of sigma 5, zero padded, exactly as its evaluation code does.
   */
  public static Baseline blur() {
    return BLUR;
  }

  /** The image this baseline replaces {@code image} with. */
  float[] substrate(float[] image, ImageShape shape) {
    if (blur) {
      return RiseBlur.apply(image, shape);
    }
    float[] out = new float[image.length];
    Arrays.fill(out, value);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Baseline b && b.blur == blur && Float.compare(b.value, value) == 0;
  }

  @Override
  public int hashCode() {
    return blur ? 1 : Float.hashCode(value) * 31;
  }

  @Override
  public String toString() {
    return blur ? "blur" : "constant " + value;
  }
}
