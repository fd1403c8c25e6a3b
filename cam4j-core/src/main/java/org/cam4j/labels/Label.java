package org.cam4j.labels;

import java.util.Objects;

/**
 * One class of a classifier: its output index, the WordNet id where the labels file gives one
 * (e.g. {@code n02124075}, else null) and its name, which may list synonyms separated by commas
 * ({@code "tabby, tabby cat"}).
 */
public record Label(int index, String wnid, String name) {
  /** Validates the label: a non-negative index and a name. */
  public Label {
    if (index < 0) {
      throw new IllegalArgumentException("label index must be >= 0, got " + index);
    }
    Objects.requireNonNull(name, "name");
  }

  /** The first comma-separated item of the name: {@code "tabby"} for {@code "tabby, tabby cat"}. */
  public String shortName() {
    int comma = name.indexOf(',');
    return comma < 0 ? name : name.substring(0, comma).trim();
  }
}
