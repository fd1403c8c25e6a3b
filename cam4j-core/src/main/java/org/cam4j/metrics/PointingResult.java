package org.cam4j.metrics;

import java.util.List;

/** The pointing game over a batch, one {@link Pointing} per image in batch order. */
public record PointingResult(List<Pointing> images) {
  /** Validates the result: at least one image. */
  public PointingResult {
    images = List.copyOf(images);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no images");
    }
  }

  /** Images whose maximum hit their box. */
  public int hits() {
    return (int) images.stream().filter(Pointing::hit).count();
  }

  /** Hits over images, in [0, 1]. */
  public double accuracy() {
    return (double) hits() / images.size();
  }
}
