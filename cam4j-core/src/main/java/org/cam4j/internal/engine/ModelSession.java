package org.cam4j.internal.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
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
   * A session of {@code model} reading the weights {@code shared} holds.
   *
   * @param intraOpThreads threads ONNX Runtime uses inside one operator
   * @param activationBytes estimated bytes of the tensors one run computes
   */
  public static ModelSession open(OrtEnvironment env, ModelProto model, SharedWeights shared,
      int intraOpThreads, long activationBytes) {
    ModelProto stripped = shared.strip(model);
    shared.retain();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.addExternalInitializers(shared.usedBy(stripped));
      long t0 = PhaseTrace.start();
      byte[] bytes = stripped.toByteArray();
      PhaseTrace.end("serialise model (" + bytes.length / 1024 + " KiB)", t0);
      long t1 = PhaseTrace.start();
      OrtSession session = env.createSession(bytes, options);
      PhaseTrace.end("ORT session create", t1);
      return new ModelSession(session, options, shared, bytes.length + activationBytes);
    } catch (OrtException e) {
      options.close();
      shared.release();
      throw new ModelLoadException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
    }
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
