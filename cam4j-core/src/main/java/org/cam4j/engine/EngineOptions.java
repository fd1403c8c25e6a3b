package org.cam4j.engine;

import org.cam4j.InvalidInputException;
/** How ONNX Runtime sessions are created. Immutable; use {@link #builder()}. */
public final class EngineOptions {
  private final int intraOpThreads;
  private final int maxCachedSessions;

  private EngineOptions(Builder b) {
    this.intraOpThreads = b.intraOpThreads;
    this.maxCachedSessions = b.maxCachedSessions;
  }

  public static EngineOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Threads ONNX Runtime uses inside one operator; defaults to the available cores. */
  public int intraOpThreads() {
    return intraOpThreads;
  }

  /** Sessions kept per model (one per set of layers and input shape); the oldest is closed. */
  public int maxCachedSessions() {
    return maxCachedSessions;
  }

  /** Builder for {@link EngineOptions}. */
  public static final class Builder {
    private int intraOpThreads = Runtime.getRuntime().availableProcessors();
    private int maxCachedSessions = 4;

    private Builder() {
    }

    public Builder intraOpThreads(int threads) {
      if (threads < 1) {
        throw new InvalidInputException("intra-op threads must be >= 1, got " + threads);
      }
      this.intraOpThreads = threads;
      return this;
    }

    public Builder maxCachedSessions(int sessions) {
      if (sessions < 1) {
        throw new InvalidInputException("cached sessions must be >= 1, got " + sessions);
      }
      this.maxCachedSessions = sessions;
      return this;
    }

    public EngineOptions build() {
      return new EngineOptions(this);
    }
  }
}
