package org.cam4j.registry;

import java.util.Objects;
import java.util.Optional;
import org.cam4j.image.Preprocessing;

/**
 * One model the registry offers: its file, its labels (or why there are none), the
 * preprocessing its card prescribes when one is known, and notes on its input and output.
 * Immutable; build with {@link #builder}.
 */
public final class ModelEntry {
  private final String name;
  private final RemoteFile model;
  private final RemoteFile labels;
  private final String labelsNote;
  private final Preprocessing preprocessing;
  private final String input;
  private final String output;
  private final String notes;

  private ModelEntry(Builder b) {
    this.name = b.name;
    this.model = b.model;
    this.labels = b.labels;
    this.labelsNote = b.labelsNote;
    this.preprocessing = b.preprocessing;
    this.input = b.input;
    this.output = b.output;
    this.notes = b.notes;
  }

  /** Starts an entry named {@code name} (as users type it) for the model file {@code model}. */
  public static Builder builder(String name, RemoteFile model) {
    return new Builder(name, model);
  }

  /** The name users type, e.g. {@code resnet50}. */
  public String name() {
    return name;
  }

  /** The model file to download. */
  public RemoteFile model() {
    return model;
  }

  /** The class names file, index i naming output i. */
  public Optional<RemoteFile> labels() {
    return Optional.ofNullable(labels);
  }

  /** Why the entry has no labels file; empty when it has one. */
  public Optional<String> labelsNote() {
    return Optional.ofNullable(labelsNote);
  }

  /** The preprocessing the model was trained with, when the card gives it. */
  public Optional<Preprocessing> preprocessing() {
    return Optional.ofNullable(preprocessing);
  }

  /** The input tensor as the model card gives it, e.g. "data float[N,3,224,224], NCHW, RGB". */
  public String input() {
    return input;
  }

  /** What the output holds, e.g. whether it ends in Softmax. */
  public String output() {
    return output;
  }

  /** Provenance and preprocessing remarks. */
  public String notes() {
    return notes;
  }

  /** Collects an entry's fields; an entry needs labels or a note on why it has none. */
  public static final class Builder {
    private final String name;
    private final RemoteFile model;
    private RemoteFile labels;
    private String labelsNote;
    private Preprocessing preprocessing;
    private String input = "";
    private String output = "";
    private String notes = "";

    private Builder(String name, RemoteFile model) {
      this.name = Objects.requireNonNull(name, "name");
      this.model = Objects.requireNonNull(model, "model");
    }

    /** The class names file, index i naming output i. */
    public Builder labels(RemoteFile file) {
      labels = Objects.requireNonNull(file, "labels");
      return this;
    }

    /** Why the entry has no labels file (required when it has none). */
    public Builder labelsNote(String why) {
      labelsNote = Objects.requireNonNull(why, "labelsNote");
      return this;
    }

    /** The preprocessing the model was trained with. */
    public Builder preprocessing(Preprocessing p) {
      preprocessing = Objects.requireNonNull(p, "preprocessing");
      return this;
    }

    /** The input tensor as the model card gives it. */
    public Builder input(String text) {
      input = Objects.requireNonNull(text, "input");
      return this;
    }

    /** The output tensor as the model card gives it. */
    public Builder output(String text) {
      output = Objects.requireNonNull(text, "output");
      return this;
    }

    /** Free-text notes: provenance, licence, caveats. */
    public Builder notes(String text) {
      notes = Objects.requireNonNull(text, "notes");
      return this;
    }

    /**
     * The entry; fails on a blank name or when neither or both of labels and a labels note are
     * given.
     */
    public ModelEntry build() {
      if (name.isBlank() || !name.equals(name.strip())) {
        throw new IllegalArgumentException("model name must be non-blank without surrounding"
            + " spaces, got '" + name + "'");
      }
      if ((labels == null) == (labelsNote == null)) {
        throw new IllegalArgumentException("model '" + name + "' needs either a labels file or"
            + " a note on why it has none, not " + (labels == null ? "neither" : "both"));
      }
      return new ModelEntry(this);
    }
  }
}
