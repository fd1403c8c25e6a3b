package org.cam4j.internal.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.internal.onnx.NodeProto;

/** Kahn's sort of ONNX nodes; keeps the file's order where it is already valid. */
final class TopologicalOrder {
  private TopologicalOrder() {
  }

  static List<NodeProto> sort(List<NodeProto> nodes, Set<String> available) {
    Map<String, Integer> producerIndex = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (String out : nodes.get(i).getOutputList()) {
        producerIndex.put(out, i);
      }
    }
    int[] pending = new int[nodes.size()];
    Map<Integer, List<Integer>> dependents = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      Set<Integer> deps = new HashSet<>();
      for (String in : nodes.get(i).getInputList()) {
        Integer p = producerIndex.get(in);
        if (p != null && !available.contains(in) && p != i) {
          deps.add(p);
        }
      }
      pending[i] = deps.size();
      for (int d : deps) {
        dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(i);
      }
    }
    java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (pending[i] == 0) {
        ready.add(i);
      }
    }
    List<NodeProto> order = new ArrayList<>(nodes.size());
    while (!ready.isEmpty()) {
      int i = ready.poll();
      order.add(nodes.get(i));
      for (int d : dependents.getOrDefault(i, List.of())) {
        if (--pending[d] == 0) {
          ready.add(d);
        }
      }
    }
    if (order.size() != nodes.size()) {
      throw new ModelLoadException("the graph has a cycle: " + (nodes.size() - order.size())
          + " nodes can never run");
    }
    return order;
  }
}
