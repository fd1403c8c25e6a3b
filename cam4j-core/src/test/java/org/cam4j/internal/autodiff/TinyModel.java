package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.graph.TensorValues;
import org.cam4j.internal.onnx.AttributeProto;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * Builds small ONNX models in code at a chosen opset (in the spirit of onnxruntime's
 * ModelGenerators): one float graph input, initializers, nodes, and the last node's first output
 * as the score. Random weights and the default input come from a fixed seed.
 */
public final class TinyModel {
  private final int opset;
  private final Random random;
  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<TensorProto> initializers = new ArrayList<>();
  private String inputName;
  private long[] inputShape;
  private float[] inputValues;

  private TinyModel(int opset, long seed) {
    this.opset = opset;
    this.random = new Random(seed);
  }

  public static TinyModel opset(int opset) {
    return new TinyModel(opset, 1234);
  }

  /** The graph input; its default values are uniform in [-1, 1]. */
  public TinyModel input(String name, long... shape) {
    inputName = name;
    inputShape = shape.clone();
    inputValues = uniform(size(shape), -1, 1);
    return this;
  }

  public TinyModel inputValues(float[] values) {
    if (values.length != size(inputShape)) {
      throw new IllegalArgumentException("input needs " + size(inputShape) + " values");
    }
    inputValues = values.clone();
    return this;
  }

  public TinyModel weights(String name, long[] dims, float[] values) {
    initializers.add(Onnx.floatTensor(name, dims, values));
    return this;
  }

  /** A float initializer, uniform in [-1, 1]. */
  public TinyModel random(String name, long... dims) {
    return weights(name, dims, uniform(size(dims), -1, 1));
  }

  public TinyModel ints(String name, long... values) {
    initializers.add(Onnx.longTensor(name, new long[] {values.length}, values));
    return this;
  }

  /** An int64 initializer of any shape (dims {} for a scalar). */
  public TinyModel ints(String name, long[] dims, long... values) {
    initializers.add(Onnx.longTensor(name, dims, values));
    return this;
  }

  public TinyModel scalar(String name, float value) {
    initializers.add(Onnx.floatTensor(name, new long[0], new float[] {value}));
    return this;
  }

  /** A single-output node named after its output. */
  public TinyModel node(String opType, String[] inputs, String output, AttributeProto... attrs) {
    return node(opType, List.of(inputs), List.of(output), attrs);
  }

  public TinyModel node(String opType, List<String> inputs, List<String> outputs,
      AttributeProto... attrs) {
    nodes.add(Onnx.node(opType, "node_" + outputs.get(0), inputs, outputs, attrs));
    return this;
  }

  public static String[] in(String... names) {
    return names;
  }

  public String inputName() {
    return inputName;
  }

  public long[] inputShape() {
    return inputShape.clone();
  }

  public float[] inputValues() {
    return inputValues.clone();
  }

  /** The values of a float initializer. */
  public float[] initializer(String name) {
    return initializers.stream().filter(t -> t.getName().equals(name)).findFirst()
        .map(TensorValues::floats)
        .orElseThrow(() -> new IllegalArgumentException("no initializer '" + name + "'"));
  }

  public String scoreName() {
    return nodes.get(nodes.size() - 1).getOutput(0);
  }

  public ModelProto build() {
    GraphProto graph = GraphProto.newBuilder().setName("tiny")
        .addAllNode(nodes)
        .addAllInitializer(initializers)
        .addInput(Onnx.floatValueInfo(inputName, inputShape))
        .addOutput(Onnx.floatValueInfo(scoreName(), null))
        .build();
    return ModelProto.newBuilder().setIrVersion(10).setProducerName("cam4j-tests")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setGraph(graph).build();
  }

  public float[] uniform(int n, double lo, double hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (lo + (hi - lo) * random.nextDouble());
    }
    return v;
  }

  /** A shuffled grid of n values spaced by {@code spacing} around 0: no ties or near ties. */
  public float[] distinct(int n, double spacing) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((order.get(i) - n / 2.0) * spacing);
    }
    return v;
  }

  public int inputSize() {
    return size(inputShape);
  }

  public static int size(long[] shape) {
    return (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
  }
}
