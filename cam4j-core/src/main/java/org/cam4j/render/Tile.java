package org.cam4j.render;

import java.awt.image.BufferedImage;
import java.util.Objects;

/** One picture of a {@link Montage}, with an optional caption drawn under it (null for none). */
public record Tile(BufferedImage image, String caption) {
  /** Validates the tile: the image is required, the caption optional. */
  public Tile {
    Objects.requireNonNull(image, "image");
  }

  /** A tile without caption. */
  public static Tile of(BufferedImage image) {
    return new Tile(image, null);
  }
}
