package org.cam4j.spark;

import java.io.Serializable;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.cam4j.InvalidInputException;
import org.cam4j.explain.Target;
import org.cam4j.explain.ExplainOptions;

/**
 * What {@link Cam4jSpark#explain} computes for every row: the model, labels and preprocessing,
 * the method, layer and class, which column holds the photo, which outputs to add, and how many
 * ONNX Runtime threads one task uses. Immutable and serializable (it travels to the executors);
 * use {@link #builder(String)}.
 */
public final class ExplainSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Optional columns; {@code predictions}, {@code target} and {@code error} are always there. */
  public enum Output {
    /** {@code raw} (array&lt;float&gt;, before ReLU and normalisation) and {@code raw_shape}. */
    RAW,
    /** {@code map} (array&lt;float&gt;, normalised, at the input size) and {@code map_shape}. */
    MAP,
    /** {@code overlay}: the heatmap blended onto the photo at its full size, as JPEG bytes. */
    OVERLAY;

    /** Parses {@code raw}, {@code map} or {@code overlay} (any case). */
    public static Output parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("unknown output '" + name + "'; use raw, map or overlay");
      }
    }
  }

  private final String modelPath;
  private final String labelsPath;
  private final String preprocessing;
  private final String method;
  private final String layer;
  private final String targetClass;
  private final String targetColumn;
  private final int topK;
  private final String inputColumn;
  private final EnumSet<Output> outputs;
  private final int threadsPerTask;

  private ExplainSpec(Builder b) {
    this.modelPath = b.modelPath;
    this.labelsPath = b.labelsPath;
    this.preprocessing = b.preprocessing;
    this.method = b.method;
    this.layer = b.layer;
    this.targetClass = b.targetClass;
    this.targetColumn = b.targetColumn;
    this.topK = b.topK;
    this.inputColumn = b.inputColumn;
    this.outputs = EnumSet.copyOf(b.outputs);
    this.threadsPerTask = b.threadsPerTask;
  }

  /** Starts a spec for the ONNX model at {@code modelPath} (a path the driver can read). */
  public static Builder builder(String modelPath) {
    return new Builder(modelPath);
  }

  /** A builder holding this spec's values. */
  public Builder toBuilder() {
    Builder b = new Builder(modelPath).labelsPath(labelsPath).method(method).layer(layer)
        .targetClass(targetClass).targetColumn(targetColumn).topK(topK).inputColumn(inputColumn)
        .outputs(outputs).threadsPerTask(threadsPerTask);
    b.preprocessing = preprocessing;
    return b;
  }

  /** The ONNX model file, as the driver reads it. */
  public String modelPath() {
    return modelPath;
  }

  /** The labels file, or null for placeholder labels. */
  public String labelsPath() {
    return labelsPath;
  }

  /** The preprocessing spec, or null for the model's sidecar file, else {@code torch}. */
  public String preprocessing() {
    return preprocessing;
  }

  /** The method's name, e.g. {@code gradcam}. */
  public String method() {
    return method;
  }

  /** The layer query: {@code auto}, a tensor name, a block name or a suffix. */
  public String layer() {
    return layer;
  }

  /** The class explained when there is no target column: {@code top}, an index or a name. */
  public String targetClass() {
    return targetClass;
  }

  /** The column holding each row's class (index or name; null means top), or null. */
  public String targetColumn() {
    return targetColumn;
  }

  /** How many predictions each row lists. */
  public int topK() {
    return topK;
  }

  /** The column with the photo: binary (encoded bytes) or string (a path or URI). */
  public String inputColumn() {
    return inputColumn;
  }

  /** The optional outputs added to each row. */
  public Set<Output> outputs() {
    return EnumSet.copyOf(outputs);
  }

  /** ONNX Runtime intra-op threads per task; 0 means {@code spark.task.cpus}. */
  public int threadsPerTask() {
    return threadsPerTask;
  }

  /** The explain options of a row whose class is {@code target}. */
  ExplainOptions options(Target target) {
    return ExplainOptions.builder().method(method).layer(layer).target(target).topK(topK)
        .build();
  }

  /** Equal when every value is equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ExplainSpec s && modelPath.equals(s.modelPath)
        && Objects.equals(labelsPath, s.labelsPath)
        && Objects.equals(preprocessing, s.preprocessing) && method.equals(s.method)
        && layer.equals(s.layer) && targetClass.equals(s.targetClass)
        && Objects.equals(targetColumn, s.targetColumn) && topK == s.topK
        && inputColumn.equals(s.inputColumn) && outputs.equals(s.outputs)
        && threadsPerTask == s.threadsPerTask;
  }

  /** A hash of every value. */
  @Override
  public int hashCode() {
    return Objects.hash(modelPath, labelsPath, preprocessing, method, layer, targetClass,
        targetColumn, topK, inputColumn, outputs, threadsPerTask);
  }

  /** The values, for logs. */
  @Override
  public String toString() {
    return "ExplainSpec[model=" + modelPath + ", labels=" + labelsPath + ", preprocessing="
        + preprocessing + ", method=" + method + ", layer=" + layer + ", class="
        + (targetColumn != null ? "column " + targetColumn : targetClass) + ", topK=" + topK
        + ", input=" + inputColumn + ", outputs=" + outputs + ", threadsPerTask="
        + threadsPerTask + "]";
  }

  /**
   * Builder for {@link ExplainSpec}; defaults: Grad-CAM, layer auto, top class, top-5, column
   * {@code content}, output {@code raw}, threads from {@code spark.task.cpus}.
   */
  public static final class Builder {
    private final String modelPath;
    private String labelsPath;
    private String preprocessing;
    private String method = "gradcam";
    private String layer = "auto";
    private String targetClass = "top";
    private String targetColumn;
    private int topK = 5;
    private String inputColumn = "content";
    private EnumSet<Output> outputs = EnumSet.of(Output.RAW);
    private int threadsPerTask;

    private Builder(String modelPath) {
      this.modelPath = Objects.requireNonNull(modelPath, "model path");
    }

    /** The labels file (text, synset.txt or JSON index); null for placeholders. */
    public Builder labelsPath(String path) {
      this.labelsPath = path;
      return this;
    }

    /** A preprocessing preset or spec as {@code cam4j explain --preprocess} takes; checked here. */
    public Builder preprocessing(String spec) {
      this.preprocessing = spec == null ? null
          : org.cam4j.image.Preprocessing.parse(spec).toString();
      return this;
    }

    /** The method, e.g. {@code gradcam}; checked here. */
    public Builder method(String name) {
      ExplainOptions.builder().method(name);
      this.method = name;
      return this;
    }

    /** One layer query: {@code auto}, a tensor name, a block name or a suffix. */
    public Builder layer(String query) {
      if (query == null || query.isBlank()) {
        throw new InvalidInputException("give a layer (or \"auto\")");
      }
      this.layer = query.trim();
      return this;
    }

    /** The class for every row: {@code top}, an index or a label, synonym or WordNet id. */
    public Builder targetClass(String choice) {
      this.targetClass = Target.parse(choice).toString();
      return this;
    }

    /** A column holding each row's class (an index or a name; null means top), or null. */
    public Builder targetColumn(String column) {
      this.targetColumn = column;
      return this;
    }

    /** How many predictions each row lists (at least 1). */
    public Builder topK(int k) {
      ExplainOptions.builder().topK(k);
      this.topK = k;
      return this;
    }

    /** The column with the photo: binary bytes (as {@code binaryFile} gives) or a path string. */
    public Builder inputColumn(String column) {
      this.inputColumn = Objects.requireNonNull(column, "input column");
      return this;
    }

    /** The optional outputs (raw, map, overlay); may be empty. */
    public Builder outputs(Collection<Output> chosen) {
      this.outputs = chosen.isEmpty() ? EnumSet.noneOf(Output.class) : EnumSet.copyOf(chosen);
      return this;
    }

    /** ONNX Runtime threads per task; 0 (the default) takes {@code spark.task.cpus}. */
    public Builder threadsPerTask(int threads) {
      if (threads < 0) {
        throw new InvalidInputException("threads per task must be >= 0 (0: spark.task.cpus), got "
            + threads);
      }
      this.threadsPerTask = threads;
      return this;
    }

    /** The spec. */
    public ExplainSpec build() {
      return new ExplainSpec(this);
    }
  }
}
