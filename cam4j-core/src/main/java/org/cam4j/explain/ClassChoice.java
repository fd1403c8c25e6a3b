package org.cam4j.explain;

import java.util.Locale;
import java.util.Objects;
import org.cam4j.InvalidInputException;
import org.cam4j.labels.Labels;

/** Which class to explain: each image's top-1, a class index, or a class named by its label. */
public final class ClassChoice {
  /** Each image's highest-scoring class. */
  public static final ClassChoice TOP = new ClassChoice(-1, null);

  private final int index;
  private final String name;

  private ClassChoice(int index, String name) {
    this.index = index;
    this.name = name;
  }

  public static ClassChoice index(int index) {
    if (index < 0) {
      throw new InvalidInputException("class index must be >= 0, got " + index);
    }
    return new ClassChoice(index, null);
  }

  /** A class named by WordNet id, label or synonym, e.g. "tabby" or "n02123045". */
  public static ClassChoice named(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("class name is empty");
    }
    return new ClassChoice(-1, name.trim());
  }

  /** {@code top}, a non-negative index, or a class name. */
  public static ClassChoice parse(String text) {
    String t = Objects.requireNonNull(text, "class").trim();
    if (t.toLowerCase(Locale.ROOT).equals("top")) {
      return TOP;
    }
    if (t.matches("\\d+")) {
      return index(Integer.parseInt(t));
    }
    return named(t);
  }

  public boolean isTop() {
    return index < 0 && name == null;
  }

  /**
   * The class index without labels, or -1 for {@link #TOP}; a named class fails, since only
   * labels can tell its index.
   */
  public int index() {
    if (name != null) {
      throw new InvalidInputException("class '" + name + "' is a name; without labels give"
          + " 'top' or a class index");
    }
    return index;
  }

  /**
   * The class index in a model whose outputs {@code labels} name (aligned to the model), or -1
   * for {@link #TOP}.
   */
  public int resolve(Labels labels) {
    if (name != null) {
      return labels.find(name).index();
    }
    if (index >= labels.size()) {
      throw new InvalidInputException("class " + index + " is out of range: the model has "
          + labels.size() + " classes (0.." + (labels.size() - 1) + ")");
    }
    return index;
  }

  @Override
  public String toString() {
    return isTop() ? "top" : name != null ? name : Integer.toString(index);
  }
}
