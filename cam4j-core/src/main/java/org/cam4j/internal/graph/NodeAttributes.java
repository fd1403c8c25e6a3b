package org.cam4j.internal.graph;

import java.nio.charset.StandardCharsets;
import org.cam4j.internal.onnx.AttributeProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;

/** Typed, defaulted access to a node's attributes. */
public final class NodeAttributes {
  private final NodeProto node;

  private NodeAttributes(NodeProto node) {
    this.node = node;
  }

  public static NodeAttributes of(NodeProto node) {
    return new NodeAttributes(node);
  }

  private AttributeProto find(String name) {
    for (AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  public boolean has(String name) {
    return find(name) != null;
  }

  public long getInt(String name, long fallback) {
    AttributeProto a = find(name);
    return a == null ? fallback : a.getI();
  }

  public float getFloat(String name, float fallback) {
    AttributeProto a = find(name);
    return a == null ? fallback : a.getF();
  }

  public String getString(String name, String fallback) {
    AttributeProto a = find(name);
    return a == null ? fallback : a.getS().toString(StandardCharsets.UTF_8);
  }

  /** The ints attribute, or null when absent. */
  public long[] getInts(String name) {
    AttributeProto a = find(name);
    return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }

  public TensorProto getTensor(String name) {
    AttributeProto a = find(name);
    return a == null ? null : a.getT();
  }
}
