package org.cam4j.internal.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.cam4j.CancelledException;
import org.cam4j.Cancellation;
import org.cam4j.UnsupportedModelException;
import org.cam4j.internal.trace.PhaseTrace;
import org.cam4j.tensor.FloatTensor;

/**
 * Runs a session on float inputs and copies the requested float outputs out, freeing natives.
 * Each value crosses once: an input is copied into direct memory ONNX Runtime reads in place (the
 * thread's {@link InputMemory}), and an output is taken as the heap array
 * {@link OnnxTensor#getFloatBuffer()} copies it into.
 */
public final class OrtRunner {
  private OrtRunner() {
  }

  /**
   * The array behind the fresh heap copy getFloatBuffer returns (the tensor's native memory
   * copied once); copied again only if the runtime ever returns another kind of buffer.
   */
  private static float[] floats(FloatBuffer fb) {
    if (fb.hasArray() && fb.arrayOffset() == 0 && fb.position() == 0
        && fb.array().length == fb.remaining()) {
      return fb.array();
    }
    float[] data = new float[fb.remaining()];
    fb.get(data);
    return data;
  }

  /**
   * Runs {@code session} and returns the {@code outputs} asked for. The run has its own
   * {@link OrtSession.RunOptions}: it logs fatal errors only (the error reaches the caller as an
   * exception), and {@link Cancellation#cancel()} of the token this thread runs under sets its
   * terminate flag, which stops the run inside ONNX Runtime.
   *
   * @throws CancelledException when the run was stopped so
   * @throws UnsupportedModelException when ONNX Runtime fails otherwise
   */
  public static Map<String, FloatTensor> run(OrtEnvironment env, OrtSession session,
      Map<String, FloatTensor> feeds, Set<String> outputs) {
    return run(env, session, feeds, Map.of(), outputs);
  }

  /** {@link #run}, with int64 vector inputs besides the float ones. */
  public static Map<String, FloatTensor> run(OrtEnvironment env, OrtSession session,
      Map<String, FloatTensor> feeds, Map<String, long[]> indexFeeds, Set<String> outputs) {
    long t0 = PhaseTrace.start();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
      options.setLogLevel(OrtEnv.LOG_LEVEL);
      InputMemory memory = InputMemory.forRun(feeds.values().stream()
          .mapToLong(FloatTensor::size).sum(), feeds.size());
      for (Map.Entry<String, FloatTensor> f : feeds.entrySet()) {
        inputs.put(f.getKey(), OnnxTensor.createTensor(env, memory.copy(f.getValue()),
            f.getValue().shape()));
      }
      for (Map.Entry<String, long[]> f : indexFeeds.entrySet()) {
        inputs.put(f.getKey(), OnnxTensor.createTensor(env, f.getValue()));
      }
      Terminate terminate = new Terminate(options);
      try (Cancellation.Hook hook = Cancellation.onCancel(terminate);
          OrtSession.Result result = session.run(inputs, outputs, options)) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (String name : outputs) {
          OnnxValue v = result.get(name).orElseThrow(() ->
              new IllegalStateException("ONNX Runtime returned no output '" + name + "'"));
          OnnxTensor t = (OnnxTensor) v;
          FloatBuffer fb = t.getFloatBuffer();
          if (fb == null) {
            throw new UnsupportedModelException("output '" + name + "' is not float32");
          }
          out.put(name, FloatTensor.wrap(t.getInfo().getShape(), floats(fb)));
        }
        return out;
      } catch (OrtException e) {
        if (terminate.requested()) {
          throw new CancelledException("the work was cancelled during a model run");
        }
        throw e;
      }
    } catch (OrtException e) {
      throw new UnsupportedModelException("ONNX Runtime failed: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
      PhaseTrace.end("ORT run", t0);
    }
  }

  /** Sets a run's terminate flag; remembers that it did, to tell a stop from a failure. */
  private static final class Terminate implements Runnable {
    private final OrtSession.RunOptions options;
    private volatile boolean requested;

    Terminate(OrtSession.RunOptions options) {
      this.options = options;
    }

    @Override
    public void run() {
      requested = true;
      try {
        options.setTerminate(true);
      } catch (OrtException e) {
        // the run then goes on to its end, and the next checkpoint stops the work
      }
    }

    boolean requested() {
      return requested;
    }
  }
}
