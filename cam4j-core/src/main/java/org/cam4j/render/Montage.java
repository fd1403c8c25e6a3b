package org.cam4j.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.cam4j.InvalidInputException;

/**
 * Arranges pictures in a grid on a white sheet: cells as large as the largest picture, pictures
 * centred in them, {@link #gap()} pixels around and between cells, and a caption band under every
 * row when any tile has a caption. Immutable; see {@link #builder()}.
 */
public final class Montage {
  private final int gap;
  private final int fontSize;
  private final Color background;
  private final Color textColour;

  private Montage(Builder b) {
    this.gap = b.gap;
    this.fontSize = b.fontSize;
    this.background = b.background;
    this.textColour = b.textColour;
  }

  /** 8-pixel gaps, 14-point captions, black on white. */
  public static Montage defaults() {
    return builder().build();
  }

  /** Starts a builder with the default gap, background and text colour. */
  public static Builder builder() {
    return new Builder();
  }

  /** Pixels between neighbouring tiles and around the strip. */
  public int gap() {
    return gap;
  }

  /** The pictures side by side in one row, e.g. photo | heatmap | overlay. */
  public BufferedImage strip(BufferedImage... images) {
    return grid(Arrays.stream(images).map(Tile::of).toList(), images.length);
  }

  /** The tiles in rows of {@code columns}, left to right, top to bottom. */
  public BufferedImage grid(List<Tile> tiles, int columns) {
    if (tiles.isEmpty()) {
      throw new IllegalArgumentException("a montage needs at least one tile");
    }
    if (columns < 1) {
      throw new InvalidInputException("columns must be >= 1, got " + columns);
    }
    int cols = Math.min(columns, tiles.size());
    int rows = (tiles.size() + cols - 1) / cols;
    int cellW = tiles.stream().mapToInt(t -> t.image().getWidth()).max().getAsInt();
    int cellH = tiles.stream().mapToInt(t -> t.image().getHeight()).max().getAsInt();
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, fontSize);
    boolean captions = tiles.stream().anyMatch(t -> t.caption() != null);
    FontMetrics metrics = metrics(font);
    int band = captions ? metrics.getHeight() + gap / 2 : 0;
    int rowH = cellH + band;
    BufferedImage sheet = new BufferedImage(gap + cols * (cellW + gap), gap + rows * (rowH + gap),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(background);
      g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
      g.setFont(font);
      g.setColor(textColour);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      for (int i = 0; i < tiles.size(); i++) {
        Tile tile = tiles.get(i);
        int left = gap + (i % cols) * (cellW + gap);
        int top = gap + (i / cols) * (rowH + gap);
        BufferedImage image = tile.image();
        g.drawImage(image, left + (cellW - image.getWidth()) / 2,
            top + (cellH - image.getHeight()) / 2, null);
        if (tile.caption() != null) {
          String text = fit(tile.caption(), metrics, cellW);
          g.drawString(text, left + (cellW - metrics.stringWidth(text)) / 2,
              top + cellH + gap / 2 + metrics.getAscent());
        }
      }
    } finally {
      g.dispose();
    }
    return sheet;
  }

  private static FontMetrics metrics(Font font) {
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      return g.getFontMetrics(font);
    } finally {
      g.dispose();
    }
  }

  /**
   * The caption, shortened in the middle with an ellipsis if it is wider than the cell: the
   * start and the end (for layers: the block and the map size) stay readable.
   */
  private static String fit(String caption, FontMetrics metrics, int width) {
    if (metrics.stringWidth(caption) <= width) {
      return caption;
    }
    int head = caption.length() / 2;
    int tail = caption.length() - head;
    String text = "\u2026";
    while (head + tail > 0) {
      if (head >= tail) {
        head--;
      } else {
        tail--;
      }
      text = caption.substring(0, head) + "\u2026" + caption.substring(caption.length() - tail);
      if (metrics.stringWidth(text) <= width) {
        break;
      }
    }
    return text;
  }

  /** Builder for {@link Montage}. */
  public static final class Builder {
    private int gap = 8;
    private int fontSize = 14;
    private Color background = Color.WHITE;
    private Color textColour = Color.BLACK;

    private Builder() {
    }

    /** Pixels around and between cells. */
    public Builder gap(int pixels) {
      if (pixels < 0) {
        throw new InvalidInputException("gap must be >= 0, got " + pixels);
      }
      this.gap = pixels;
      return this;
    }

    /** Caption font size in points (pixels at 72 dpi). */
    public Builder fontSize(int points) {
      if (points < 1) {
        throw new InvalidInputException("font size must be >= 1, got " + points);
      }
      this.fontSize = points;
      return this;
    }

    /** Colour behind the tiles. */
    public Builder background(Color colour) {
      this.background = Objects.requireNonNull(colour, "colour");
      return this;
    }

    /** Colour of the captions. */
    public Builder textColour(Color colour) {
      this.textColour = Objects.requireNonNull(colour, "colour");
      return this;
    }

    /** The montage with these settings. */
    public Montage build() {
      return new Montage(this);
    }
  }
}
