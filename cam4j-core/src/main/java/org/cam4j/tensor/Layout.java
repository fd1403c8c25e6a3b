package org.cam4j.tensor;

/** Where the channel axis of an image tensor lies. */
public enum Layout {
  NCHW,
  NHWC;

  /** Index of the channel axis in a rank-4 tensor of this layout. */
  public int channelAxis() {
    return this == NCHW ? 1 : 3;
  }

  /** Index of the height axis in a rank-4 tensor of this layout. */
  public int heightAxis() {
    return this == NCHW ? 2 : 1;
  }

  /** Index of the width axis in a rank-4 tensor of this layout. */
  public int widthAxis() {
    return this == NCHW ? 3 : 2;
  }
}
