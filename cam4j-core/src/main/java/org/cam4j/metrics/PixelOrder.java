package org.cam4j.metrics;

import java.util.stream.IntStream;

/** The order in which deletion and insertion visit pixels. */
final class PixelOrder {
  private PixelOrder() {
  }

  /**
   * Raster indices ({@code y * width + x}) from the most to the least salient; equal saliencies
   * (-0 and +0 included) keep raster order, so the order never depends on the sort algorithm.
   */
  static int[] mostSalientFirst(float[] map) {
    return IntStream.range(0, map.length).boxed()
        .sorted((a, b) -> map[a] > map[b] ? -1 : map[a] < map[b] ? 1 : Integer.compare(a, b))
        .mapToInt(Integer::intValue)
        .toArray();
  }
}
