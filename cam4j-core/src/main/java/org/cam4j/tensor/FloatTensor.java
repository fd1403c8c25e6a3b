package org.cam4j.tensor;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.cam4j.internal.maps.TensorArrays;

/** An immutable dense float32 tensor in row-major order. */
public final class FloatTensor {
  private final long[] shape;
  private final float[] data;

  static {
    TensorArrays.register(t -> t.data);
  }

  private FloatTensor(long[] shape, float[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** Copies {@code data}; its length must equal the product of {@code shape}. */
  public static FloatTensor of(long[] shape, float[] data) {
    return wrap(shape.clone(), data.clone());
  }

  /** Takes ownership of the array without copying: callers must not modify it afterwards. */
  public static FloatTensor wrap(long[] shape, float[] data) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
          + " values, got " + data.length);
    }
    return new FloatTensor(shape, data);
  }

  /** The dimensions, outermost first (a copy). */
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The size of dimension {@code axis}. */
  public long dim(int axis) {
    return shape[axis];
  }

  /** The number of elements. */
  public int size() {
    return data.length;
  }

  /** The element at {@code flatIndex} in row-major order. */
  public float get(int flatIndex) {
    return data[flatIndex];
  }

  /** The flat index of the first NaN or infinite value, or -1 when all values are finite. */
  public int firstNonFinite() {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        return i;
      }
    }
    return -1;
  }

  /**
   * This tensor when all its values are finite.
   *
   * @param what names the tensor in the message, e.g. "the input tensor"
   * @throws NonFiniteValueException naming the first NaN or infinity and its index per axis
   */
  public FloatTensor requireFinite(String what) {
    int flat = firstNonFinite();
    if (flat >= 0) {
      long[] index = new long[shape.length];
      long rest = flat;
      for (int axis = shape.length - 1; axis >= 0; axis--) {
        index[axis] = rest % shape[axis];
        rest /= shape[axis];
      }
      throw new NonFiniteValueException("non-finite value " + data[flat] + " at index "
          + Arrays.toString(index) + " of " + what);
    }
    return this;
  }

  /** A copy of the values. */
  public float[] toArray() {
    return data.clone();
  }

  /** A read-only view of the values. */
  public FloatBuffer buffer() {
    return FloatBuffer.wrap(data).asReadOnlyBuffer();
  }

  /** Row {@code i} of the leading axis, as a tensor of rank - 1. */
  public FloatTensor row(int i) {
    int per = data.length / (int) shape[0];
    return wrap(Arrays.copyOfRange(shape, 1, shape.length),
        Arrays.copyOfRange(data, i * per, (i + 1) * per));
  }

  /** Stacks equally shaped tensors along a new leading axis. */
  public static FloatTensor stack(java.util.List<FloatTensor> rows) {
    long[] inner = rows.get(0).shape;
    int per = rows.get(0).data.length;
    float[] all = new float[per * rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      if (!Arrays.equals(rows.get(i).shape, inner)) {
        throw new IllegalArgumentException("cannot stack shapes " + Arrays.toString(inner)
            + " and " + Arrays.toString(rows.get(i).shape));
      }
      System.arraycopy(rows.get(i).data, 0, all, i * per, per);
    }
    long[] shape = new long[inner.length + 1];
    shape[0] = rows.size();
    System.arraycopy(inner, 0, shape, 1, inner.length);
    return new FloatTensor(shape, all);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
