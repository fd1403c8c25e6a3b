package org.cam4j.internal.autodiff;

import org.cam4j.internal.graph.NodeAttributes;

/**
 * Per-axis window geometry of a Conv or pooling node, resolved to explicit begin padding, and the
 * padding a ConvTranspose needs to map an output-sized gradient back onto the input exactly.
 */
record SpatialGeometry(long[] kernel, long[] strides, long[] dilations, long[] padBegin,
    long[] padEnd, long[] transposePadEnd, long[] outputPadding) {

  /**
   * Resolves the geometry from the node's attributes and static shapes.
   *
   * @param in input spatial sizes
   * @param out output spatial sizes (from the probe: honours ceil_mode and auto_pad)
   * @param kernel kernel spatial sizes
   */
  static SpatialGeometry resolve(NodeAttributes attrs, long[] in, long[] out, long[] kernel) {
    int n = in.length;
    long[] strides = orOnes(attrs.getInts("strides"), n);
    long[] dilations = orOnes(attrs.getInts("dilations"), n);
    long[] pads = attrs.getInts("pads");
    String autoPad = attrs.getString("auto_pad", "NOTSET");
    long[] begin = new long[n];
    long[] end = new long[n];
    long[] transposeEnd = new long[n];
    long[] outputPadding = new long[n];
    for (int i = 0; i < n; i++) {
      long effective = (kernel[i] - 1) * dilations[i] + 1;
      switch (autoPad) {
        case "SAME_UPPER", "SAME_LOWER" -> {
          long total = Math.max(0, (out[i] - 1) * strides[i] + effective - in[i]);
          begin[i] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
          end[i] = total - begin[i];
        }
        case "VALID" -> {
          begin[i] = 0;
          end[i] = 0;
        }
        default -> {
          begin[i] = pads == null ? 0 : pads[i];
          end[i] = pads == null ? 0 : pads[n + i];
        }
      }
      // Positions covered by the transposed convolution before cropping.
      long full = strides[i] * (out[i] - 1) + effective;
      long crop = full - begin[i] - in[i];
      if (crop >= 0) {
        transposeEnd[i] = crop;
      } else {
        outputPadding[i] = -crop;
      }
    }
    return new SpatialGeometry(kernel, strides, dilations, begin, end, transposeEnd,
        outputPadding);
  }

  /** The ConvTranspose "pads" attribute: begins then ends. */
  long[] transposePads() {
    long[] p = new long[padBegin.length * 2];
    System.arraycopy(padBegin, 0, p, 0, padBegin.length);
    System.arraycopy(transposePadEnd, 0, p, padBegin.length, padBegin.length);
    return p;
  }

  /**
   * For stride 1 on every axis, the pads of the Conv that maps an output-sized gradient back
   * onto the input with the spatially flipped kernel: {@code d(k-1) - pad} on each side, where
   * the end pad is the one the forward actually used. Null for other strides, or when a pad would
   * be negative (a forward pad wider than the dilated kernel reach).
   */
  long[] flippedConvPads() {
    int n = kernel.length;
    long[] pads = new long[2 * n];
    for (int i = 0; i < n; i++) {
      if (strides[i] != 1) {
        return null;
      }
      long reach = dilations[i] * (kernel[i] - 1);
      long usedEnd = transposePadEnd[i] - outputPadding[i];
      pads[i] = reach - padBegin[i];
      pads[n + i] = reach - usedEnd;
      if (pads[i] < 0 || pads[n + i] < 0) {
        return null;
      }
    }
    return pads;
  }

  /**
   * For one stride s > 1 on every axis, the pads of the stride-1 Conv with the spatially flipped
   * kernel that maps the gradient, once zeros are inserted after each of its elements (s - 1 per
   * axis, giving s times its size), back onto the input: {@code d(k-1) - padBegin} before and
   * {@code in - s * out + padBegin} after. Null for other strides or when a pad would be negative.
   *
   * @param in input spatial sizes
   * @param out output spatial sizes
   */
  long[] zeroInsertedConvPads(long[] in, long[] out) {
    int n = kernel.length;
    long[] pads = new long[2 * n];
    for (int i = 0; i < n; i++) {
      if (strides[i] != strides[0] || strides[i] < 2) {
        return null;
      }
      pads[i] = dilations[i] * (kernel[i] - 1) - padBegin[i];
      pads[n + i] = in[i] - strides[i] * out[i] + padBegin[i];
      if (pads[i] < 0 || pads[n + i] < 0) {
        return null;
      }
    }
    return pads;
  }

  boolean hasOutputPadding() {
    for (long p : outputPadding) {
      if (p != 0) {
        return true;
      }
    }
    return false;
  }

  private static long[] orOnes(long[] values, int n) {
    if (values != null && values.length == n) {
      return values;
    }
    long[] ones = new long[n];
    java.util.Arrays.fill(ones, 1);
    return ones;
  }

  static long[] spatial(long[] shape) {
    return java.util.Arrays.copyOfRange(shape, 2, shape.length);
  }
}
