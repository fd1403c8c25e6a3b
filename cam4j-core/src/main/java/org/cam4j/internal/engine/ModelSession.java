package org.cam4j.internal.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.trace.PhaseTrace;

/**
 * An ONNX Runtime session with the options it was created with (they hold the shared weights it
 * reads) and an estimate of the native memory it takes, for {@link SessionCache}.
 */
public final class ModelSession implements AutoCloseable {
  private final OrtSession session;
  private final OrtSession.SessionOptions options;
  private final SharedWeights weights;
  private final long estimatedBytes;

  private ModelSession(OrtSession session, OrtSession.SessionOptions options,
      SharedWeights weights, long estimatedBytes) {
    this.session = session;
    this.options = options;
    this.weights = weights;
    this.estimatedBytes = estimatedBytes;
  }

  /**
   * A session of {@code model} reading the weights {@code shared} holds; with a {@code cache},
   * loaded from the optimised model it holds (such a session holds its own copy of the weights,
   * read from the file) or stored there when it holds none.
   *
   * @param intraOpThreads threads ONNX Runtime uses inside one operator
   * @param activationBytes estimated bytes of the tensors one run computes
   * @param weightsDigest the digest of the model's weights, for the cache key
   */
  public static ModelSession open(OrtEnvironment env, ModelProto model, SharedWeights shared,
      int intraOpThreads, long activationBytes, Optional<OptimizedModelCache> cache,
      Supplier<String> weightsDigest) {
    ModelProto stripped = shared.strip(model);
    long t0 = PhaseTrace.start();
    byte[] bytes = stripped.toByteArray();
    PhaseTrace.end("serialise model (" + bytes.length / 1024 + " KiB)", t0);
    shared.retain();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    Optional<Path> staged = Optional.empty();
    String key = null;
    try {
      configure(options, intraOpThreads, OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (cache.isPresent()) {
        key = OptimizedModelCache.key(bytes, weightsDigest.get(), "threads=" + intraOpThreads
            + ";level=all;spinning=0", env.getVersion());
        Optional<ModelSession> cached = openCached(env, cache.get(), key, shared,
            intraOpThreads, activationBytes);
        if (cached.isPresent()) {
          options.close();
          return cached.get();
        }
        staged = cache.get().stagingFile(key);
        if (staged.isPresent()) {
          options.setOptimizedModelFilePath(staged.get().toString());
        }
      }
      options.addExternalInitializers(shared.usedBy(stripped));
      long t1 = PhaseTrace.start();
      OrtSession session = env.createSession(bytes, options);
      PhaseTrace.end("ORT session create", t1);
      if (staged.isPresent()) {
        cache.get().publish(key, staged.get());
      }
      return new ModelSession(session, options, shared, bytes.length + activationBytes);
    } catch (OrtException e) {
      staged.ifPresent(cache.get()::discard);
      options.close();
      shared.release();
      throw new ModelLoadException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
    }
  }

  /** The session of a cached optimised model; empty (and the entry gone) if it cannot load. */
  private static Optional<ModelSession> openCached(OrtEnvironment env, OptimizedModelCache cache,
      String key, SharedWeights shared, int intraOpThreads, long activationBytes) {
    long t0 = PhaseTrace.start();
    Optional<Path> entry = cache.find(key);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      // already optimised: optimising again would only repeat the work the file saves
      configure(options, intraOpThreads, OrtSession.SessionOptions.OptLevel.NO_OPT);
      OrtSession session = env.createSession(entry.get().toString(), options);
      PhaseTrace.end("ORT session load (optimised cache)", t0);
      return Optional.of(new ModelSession(session, options, shared,
          Files.size(entry.get()) + activationBytes));
    } catch (OrtException | IOException e) {
      options.close();
      cache.discard(entry.get());
      return Optional.empty();
    }
  }

  private static void configure(OrtSession.SessionOptions options, int intraOpThreads,
      OrtSession.SessionOptions.OptLevel level) throws OrtException {
    options.setSessionLogLevel(OrtEnv.LOG_LEVEL);
    options.setIntraOpNumThreads(intraOpThreads);
    options.setOptimizationLevel(level);
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
  }

  /** The session; open while the cache lease it came with is. */
  public OrtSession session() {
    return session;
  }

  /** Estimated native bytes: the model as given to ONNX Runtime and one run's tensors. */
  public long estimatedBytes() {
    return estimatedBytes;
  }

  @Override
  public void close() throws OrtException {
    try {
      session.close();
    } finally {
      options.close();
      weights.release();
    }
  }
}
