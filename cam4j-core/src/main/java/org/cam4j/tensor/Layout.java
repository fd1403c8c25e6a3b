package org.cam4j.tensor;

/** Where the channel axis of an image tensor lies. */
public enum Layout {
  NCHW,
  NHWC;

  public int channelAxis() {
    return this == NCHW ? 1 : 3;
  }

  public int heightAxis() {
    return this == NCHW ? 2 : 1;
  }

  public int widthAxis() {
    return this == NCHW ? 3 : 2;
  }
}
