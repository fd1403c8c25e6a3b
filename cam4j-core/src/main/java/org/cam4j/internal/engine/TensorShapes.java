package org.cam4j.internal.engine;

import ai.onnxruntime.OrtEnvironment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.trace.PhaseTrace;

/**
 * Static shapes of tensors for a fixed input shape: inferred from the graph
 * ({@link ShapeInference}, no run) where the operators allow, and probed with one forward run
 * ({@link ShapeProbe}) only for the tensors inference leaves unknown.
 */
public final class TensorShapes {
  private TensorShapes() {
  }

  /**
   * The shapes of {@code tensors} (those a node computes), of the input and of every other
   * tensor inference reached.
   */
  public static Map<String, long[]> of(OrtEnvironment env, int intraOpThreads, ModelGraph graph,
      String inputName, long[] inputShape, Collection<String> tensors) {
    long t0 = PhaseTrace.start();
    Map<String, long[]> shapes = new HashMap<>(ShapeInference.infer(graph, inputName,
        inputShape));
    PhaseTrace.end("shape inference (static)", t0);
    List<String> unknown = new ArrayList<>();
    for (String t : tensors) {
      if (!shapes.containsKey(t) && graph.producer(t).isPresent() && !graph.isInitializer(t)) {
        unknown.add(t);
      }
    }
    if (!unknown.isEmpty()) {
      long t1 = PhaseTrace.start();
      shapes.putAll(ShapeProbe.probe(env, intraOpThreads, graph, inputName, inputShape,
          unknown));
      PhaseTrace.end("shape probe (" + unknown.size() + " tensors unknown)", t1);
    }
    return shapes;
  }
}
