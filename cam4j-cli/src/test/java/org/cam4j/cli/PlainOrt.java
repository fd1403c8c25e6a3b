package org.cam4j.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs an ONNX file with nothing but the ONNX Runtime Java API (default session options), as an
 * application without cam4j would: feeds float and int64 inputs, returns every output flattened.
 */
final class PlainOrt implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  /** Flattened outputs by name: float32 ones in floats, int64 ones in longs. */
  record Outputs(Map<String, float[]> floats, Map<String, long[]> longs) {
    float[] f(String name) {
      return floats.get(name);
    }

    long[] l(String name) {
      return longs.get(name);
    }
  }

  PlainOrt(Path model) throws OrtException {
    session = env.createSession(model.toString(), new OrtSession.SessionOptions());
  }

  /** The inputs the session requires (overridable initializers are not among them). */
  Set<String> inputNames() throws OrtException {
    return session.getInputNames();
  }

  Set<String> outputNames() throws OrtException {
    return session.getOutputNames();
  }

  /** One run; {@code classIndex} is fed as the int64 input "class_index" when not null. */
  Outputs run(String input, float[] values, long[] shape, long[] classIndex)
      throws OrtException {
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      feeds.put(input, OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape));
      if (classIndex != null) {
        feeds.put("class_index", OnnxTensor.createTensor(env, LongBuffer.wrap(classIndex),
            new long[] {classIndex.length}));
      }
      Map<String, float[]> floats = new HashMap<>();
      Map<String, long[]> longs = new HashMap<>();
      try (OrtSession.Result result = session.run(feeds)) {
        for (Map.Entry<String, OnnxValue> e : result) {
          OnnxTensor t = (OnnxTensor) e.getValue();
          switch (t.getInfo().type) {
            case FLOAT -> {
              FloatBuffer b = t.getFloatBuffer();
              float[] v = new float[b.remaining()];
              b.get(v);
              floats.put(e.getKey(), v);
            }
            case INT64 -> {
              LongBuffer b = t.getLongBuffer();
              long[] v = new long[b.remaining()];
              b.get(v);
              longs.put(e.getKey(), v);
            }
            default -> throw new IllegalStateException("unexpected output type " + t.getInfo());
          }
        }
      }
      return new Outputs(floats, longs);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
