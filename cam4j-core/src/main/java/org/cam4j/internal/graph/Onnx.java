package org.cam4j.internal.graph;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cam4j.internal.onnx.AttributeProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.internal.onnx.TensorShapeProto;
import org.cam4j.internal.onnx.TypeProto;
import org.cam4j.internal.onnx.ValueInfoProto;

/** Small factories for ONNX protos: attributes, nodes, constant tensors and value infos. */
public final class Onnx {
  private Onnx() {
  }

  public static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
        .setI(value).build();
  }

  public static AttributeProto attr(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
        .setF(value).build();
  }

  public static AttributeProto attr(String name, String value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
  }

  public static AttributeProto attr(String name, long[] values) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      b.addInts(v);
    }
    return b.build();
  }

  public static AttributeProto attr(String name, float[] values) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.FLOATS);
    for (float v : values) {
      b.addFloats(v);
    }
    return b.build();
  }

  public static AttributeProto attr(String name, TensorProto value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR)
        .setT(value).build();
  }

  public static NodeProto node(String opType, String name, List<String> inputs,
      List<String> outputs, AttributeProto... attributes) {
    return NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(inputs)
        .addAllOutput(outputs).addAllAttribute(List.of(attributes)).build();
  }

  public static TensorProto floatTensor(String name, long[] dims, float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(buf.array())).build();
  }

  public static TensorProto longTensor(String name, long[] dims, long[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(values);
    return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(buf.array())).build();
  }

  /** A float tensor value info; a dim of -1 becomes the symbolic dimension "N". */
  public static ValueInfoProto floatValueInfo(String name, long[] shape) {
    return valueInfo(name, TensorProto.DataType.FLOAT_VALUE, shape);
  }

  /** An int64 tensor value info, dims as in {@link #floatValueInfo}. */
  public static ValueInfoProto longValueInfo(String name, long[] shape) {
    return valueInfo(name, TensorProto.DataType.INT64_VALUE, shape);
  }

  private static ValueInfoProto valueInfo(String name, int elemType, long[] shape) {
    TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(elemType);
    if (shape != null) {
      TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
      for (long d : shape) {
        s.addDim(d >= 0 ? TensorShapeProto.Dimension.newBuilder().setDimValue(d)
            : TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
      }
      t.setShape(s);
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(t)).build();
  }

  private static List<Long> boxed(long[] dims) {
    return java.util.Arrays.stream(dims).boxed().toList();
  }
}
