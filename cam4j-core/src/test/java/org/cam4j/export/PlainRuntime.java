package org.cam4j.export;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import org.cam4j.tensor.FloatTensor;

/** An exported model run by ONNX Runtime alone: no cam4j code besides reading the outputs. */
final class PlainRuntime {
  private PlainRuntime() {
  }

  /**
   * Every output, float32 as {@code float[]} and int64 as {@code long[]}, flattened.
   *
   * @param classIndex fed as {@code class_index} when not null
   */
  static Map<String, Object> run(byte[] model, String input, FloatTensor x, long[] classIndex)
      throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
      feeds.put(input, OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toArray()), x.shape()));
      if (classIndex != null) {
        feeds.put("class_index", OnnxTensor.createTensor(env, LongBuffer.wrap(classIndex),
            new long[] {classIndex.length}));
      }
      Map<String, Object> out = new HashMap<>();
      try (OrtSession.Result result = session.run(feeds)) {
        for (Map.Entry<String, OnnxValue> e : result) {
          OnnxTensor t = (OnnxTensor) e.getValue();
          if (t.getInfo().type == OnnxJavaType.INT64) {
            LongBuffer b = t.getLongBuffer();
            long[] v = new long[b.remaining()];
            b.get(v);
            out.put(e.getKey(), v);
          } else {
            FloatBuffer b = t.getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            out.put(e.getKey(), v);
          }
        }
      }
      return out;
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }
}
