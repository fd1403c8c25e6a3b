package org.cam4j.internal.maps;

import java.util.Objects;
import java.util.function.Function;
import org.cam4j.tensor.FloatTensor;

/**
 * The array behind a {@link FloatTensor}, for cam4j's own loops that only read it (the CAM
 * methods read activations and gradients of up to several MB per call) without the copy
 * {@link FloatTensor#toArray} makes, and without a public accessor through which callers could
 * change an immutable tensor. {@code FloatTensor} registers the accessor when its class
 * initialises, which happens before any tensor exists. Callers must not write to the array.
 */
public final class TensorArrays {
  private static volatile Function<FloatTensor, float[]> arrays;

  private TensorArrays() {
  }

  /** Called once, by {@code FloatTensor}'s static initialiser. */
  public static void register(Function<FloatTensor, float[]> accessor) {
    if (arrays != null) {
      throw new IllegalStateException("the tensor accessor is registered already");
    }
    arrays = Objects.requireNonNull(accessor, "accessor");
  }

  /** The tensor's values in row-major order, not copied: read them, never write. */
  public static float[] readOnly(FloatTensor tensor) {
    return arrays.apply(Objects.requireNonNull(tensor, "tensor"));
  }
}
