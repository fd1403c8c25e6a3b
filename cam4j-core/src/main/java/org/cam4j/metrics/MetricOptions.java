package org.cam4j.metrics;

import java.util.Objects;
import org.cam4j.InvalidInputException;

/** How the model-based metrics perturb and score images. Immutable; see {@link #builder()}. */
public final class MetricOptions {
  private final int steps;
  private final int batchSize;
  private final Baseline explanationBaseline;
  private final Baseline deletionBaseline;
  private final Baseline insertionBaseline;

  private MetricOptions(Builder b) {
    this.steps = b.steps;
    this.batchSize = b.batchSize;
    this.explanationBaseline = b.explanationBaseline;
    this.deletionBaseline = b.deletionBaseline;
    this.insertionBaseline = b.insertionBaseline;
  }

  /** 100 steps, batches of 16, zero baselines and RISE's blurred insertion start. */
  public static MetricOptions defaults() {
    return builder().build();
  }

  /** Starts a builder with the default steps, batch size and baselines. */
  public static Builder builder() {
    return new Builder();
  }

  /** Deletion and insertion curves have {@code steps + 1} points. */
  public int steps() {
    return steps;
  }

  /** Images per forward pass. */
  public int batchSize() {
    return batchSize;
  }

  /** What the map blends each image toward in Average Drop: {@code x*M + b*(1-M)}. */
  public Baseline explanationBaseline() {
    return explanationBaseline;
  }

  /** What deleted pixels become. */
  public Baseline deletionBaseline() {
    return deletionBaseline;
  }

  /** The image insertion starts from. */
  public Baseline insertionBaseline() {
    return insertionBaseline;
  }

  /** Builder for {@link MetricOptions}. */
  public static final class Builder {
    private int steps = 100;
    private int batchSize = 16;
    private Baseline explanationBaseline = Baseline.zero();
    private Baseline deletionBaseline = Baseline.zero();
    private Baseline insertionBaseline = Baseline.blur();

    private Builder() {
    }

    /** Deletion and insertion curves get {@code steps + 1} points. */
    public Builder steps(int steps) {
      if (steps < 1) {
        throw new InvalidInputException("steps must be >= 1, got " + steps);
      }
      this.steps = steps;
      return this;
    }

    /** Images per forward pass. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new InvalidInputException("batch size must be >= 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** What the map blends each image toward in Average Drop. */
    public Builder explanationBaseline(Baseline baseline) {
      this.explanationBaseline = Objects.requireNonNull(baseline, "baseline");
      return this;
    }

    /** What deleted pixels become. */
    public Builder deletionBaseline(Baseline baseline) {
      this.deletionBaseline = Objects.requireNonNull(baseline, "baseline");
      return this;
    }

    /** The image insertion starts from. */
    public Builder insertionBaseline(Baseline baseline) {
      this.insertionBaseline = Objects.requireNonNull(baseline, "baseline");
      return this;
    }

    /** The options; fails when a value is out of range. */
    public MetricOptions build() {
      return new MetricOptions(this);
    }
  }
}
