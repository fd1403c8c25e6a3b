package org.cam4j.engine;

import java.nio.file.Path;
import java.util.Optional;
import org.cam4j.InvalidInputException;

/** How ONNX Runtime sessions are created. Immutable; use {@link #builder()}. */
public final class EngineOptions {
  private final int intraOpThreads;
  private final int maxCachedSessions;
  private final long memoryBudgetBytes;
  private final Path optimizedModelCache;

  private EngineOptions(Builder b) {
    this.optimizedModelCache = b.optimizedModelCache;
    this.intraOpThreads = b.intraOpThreads;
    this.maxCachedSessions = b.maxCachedSessions;
    this.memoryBudgetBytes = b.memoryBudgetBytes;
  }

  /** The defaults: one intra-op thread per core, the default session cache and memory budget. */
  public static EngineOptions defaults() {
    return builder().build();
  }

  /** Starts a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Threads ONNX Runtime uses inside one operator; defaults to the available cores. */
  public int intraOpThreads() {
    return intraOpThreads;
  }

  /**
   * Most sessions kept per model (one per set of layers, input shape and backward mode, and one
   * per head); beyond it the least recently used is retired. Defaults to 64: the memory budget
   * is the bound that matters, this one is a cap.
   */
  public int maxCachedSessions() {
    return maxCachedSessions;
  }

  /**
   * Native memory the cached sessions of one model may take, by estimate (a session's graph and
   * every tensor of one run; the weights are shared by all sessions of a model and not counted);
   * beyond it the least recently used session is retired. Defaults to 8 GiB: a gradient session
   * of a ResNet-50 (BatchNormalization unfolded) at batch 1 is estimated at about 0.45 GB, so
   * one per block output (16) stays warm.
   */
  public long memoryBudgetBytes() {
    return memoryBudgetBytes;
  }

  /**
   * The folder where ONNX Runtime's optimised models are kept between processes, if any (off by
   * default). A session whose optimised model is there is loaded without optimising the graph
   * again, which is most of a session's creation time; entries are keyed by the model and its
   * weights, the layers and input shape of the session, the ONNX Runtime version, the options
   * and the CPU (the optimised layouts are specific to the hardware). Each entry holds a copy of
   * the model's weights, and a session loaded from one reads that copy instead of the weights
   * the model's other sessions share.
   */
  public Optional<Path> optimizedModelCache() {
    return Optional.ofNullable(optimizedModelCache);
  }

  /** Builder for {@link EngineOptions}. */
  public static final class Builder {
    private int intraOpThreads = Runtime.getRuntime().availableProcessors();
    private int maxCachedSessions = 64;
    private long memoryBudgetBytes = 8L << 30;
    private Path optimizedModelCache;

    private Builder() {
    }

    /** Threads ONNX Runtime uses inside one operator, at least 1. */
    public Builder intraOpThreads(int threads) {
      if (threads < 1) {
        throw new InvalidInputException("intra-op threads must be >= 1, got " + threads);
      }
      this.intraOpThreads = threads;
      return this;
    }

    /** The most sessions kept per model, at least 1. */
    public Builder maxCachedSessions(int sessions) {
      if (sessions < 1) {
        throw new InvalidInputException("cached sessions must be >= 1, got " + sessions);
      }
      this.maxCachedSessions = sessions;
      return this;
    }

    /** Native memory the cached sessions of one model may take, by estimate; >= 1 byte. */
    public Builder memoryBudgetBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("the memory budget must be >= 1 byte, got " + bytes);
      }
      this.memoryBudgetBytes = bytes;
      return this;
    }

    /**
     * Keeps ONNX Runtime's optimised models in {@code dir} ({@link #optimizedModelCache()});
     * null turns the cache off (the default).
     */
    public Builder optimizedModelCache(Path dir) {
      this.optimizedModelCache = dir;
      return this;
    }

    /** The options. */
    public EngineOptions build() {
      return new EngineOptions(this);
    }
  }
}
