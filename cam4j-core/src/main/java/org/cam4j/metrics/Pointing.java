package org.cam4j.metrics;

/**
 * Where one map points.
 *
 * @param x column of the first maximum in raster order
 * @param y row of the first maximum in raster order
 * @param maxima how many pixels share the maximum value
 * @param hit whether every one of them lies within the tolerance of the box
 */
public record Pointing(int x, int y, int maxima, boolean hit) {
}
