package org.cam4j.internal.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.cam4j.ResourceUnavailableException;
import org.cam4j.UnsupportedModelException;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ValueInfoProto;

/**
 * Learns static tensor shapes by one forward run with the wanted intermediate tensors exposed as
 * outputs (ONNX Runtime only returns graph outputs). Exact for every model ONNX Runtime runs,
 * whether or not the file carries value_info.
 */
public final class ShapeProbe {
  private ShapeProbe() {
  }

  /**
   * The shapes of {@code tensors} (those a node computes) and of the input, from one run on
   * zeros of {@code inputShape}.
   */
  public static Map<String, long[]> probe(OrtEnvironment env, int intraOpThreads,
      ModelGraph graph, String inputName, long[] inputShape, Collection<String> tensors) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String t : tensors) {
      if (graph.producer(t).isPresent() && !graph.isInitializer(t)) {
        wanted.add(t);
      }
    }
    Map<String, long[]> shapes = new HashMap<>();
    shapes.put(inputName, inputShape.clone());
    GraphProto.Builder g = graph.proto().getGraph().toBuilder().clearOutput();
    for (String t : wanted) {
      g.addOutput(ValueInfoProto.newBuilder().setName(t));
    }
    byte[] bytes = graph.proto().toBuilder().setGraph(g).build().toByteArray();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setSessionLogLevel(OrtEnv.LOG_LEVEL);
      options.setIntraOpNumThreads(intraOpThreads);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      return run(env, options, bytes, inputName, inputShape, wanted, shapes);
    } catch (OrtException e) {
      throw new ResourceUnavailableException("cannot configure ONNX Runtime: " + e.getMessage(), e);
    }
  }

  private static Map<String, long[]> run(OrtEnvironment env, OrtSession.SessionOptions options,
      byte[] bytes, String inputName, long[] inputShape, Set<String> wanted,
      Map<String, long[]> shapes) {
    long n = 1;
    for (long d : inputShape) {
      n *= d;
    }
    ByteBuffer zeros = ByteBuffer.allocateDirect((int) n * Float.BYTES).order(ByteOrder.nativeOrder());
    try (OrtSession session = env.createSession(bytes, options);
        OnnxTensor input = OnnxTensor.createTensor(env, zeros.asFloatBuffer(), inputShape);
        OrtSession.Result result = session.run(Map.of(inputName, input), wanted)) {
      for (Map.Entry<String, OnnxValue> e : result) {
        if (e.getValue() instanceof OnnxTensor t) {
          shapes.put(e.getKey(), t.getInfo().getShape());
        }
      }
      return shapes;
    } catch (OrtException e) {
      throw new UnsupportedModelException("ONNX Runtime could not run the model on an input of"
          + " shape "
          + java.util.Arrays.toString(inputShape) + ": " + e.getMessage(), e);
    }
  }
}
