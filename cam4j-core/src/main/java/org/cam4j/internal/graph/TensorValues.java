package org.cam4j.internal.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.cam4j.internal.onnx.TensorProto;

/** Reads the numbers held by a constant tensor, from raw data or the typed fields. */
public final class TensorValues {
  private TensorValues() {
  }

  public static long[] longs(TensorProto t) {
    int type = t.getDataType();
    if (!t.getRawData().isEmpty()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      if (type == TensorProto.DataType.INT64_VALUE) {
        long[] v = new long[b.remaining() / 8];
        b.asLongBuffer().get(v);
        return v;
      }
      if (type == TensorProto.DataType.INT32_VALUE) {
        long[] v = new long[b.remaining() / 4];
        for (int i = 0; i < v.length; i++) {
          v[i] = b.getInt();
        }
        return v;
      }
    } else if (type == TensorProto.DataType.INT64_VALUE) {
      return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    } else if (type == TensorProto.DataType.INT32_VALUE) {
      return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
    }
    throw new IllegalArgumentException("tensor '" + t.getName() + "' is not an integer tensor");
  }

  public static float[] floats(TensorProto t) {
    int type = t.getDataType();
    if (!t.getRawData().isEmpty()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      if (type == TensorProto.DataType.FLOAT_VALUE) {
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
      }
      if (type == TensorProto.DataType.DOUBLE_VALUE) {
        float[] v = new float[b.remaining() / 8];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) b.getDouble();
        }
        return v;
      }
    } else if (type == TensorProto.DataType.FLOAT_VALUE) {
      float[] v = new float[t.getFloatDataCount()];
      for (int i = 0; i < v.length; i++) {
        v[i] = t.getFloatData(i);
      }
      return v;
    } else if (type == TensorProto.DataType.DOUBLE_VALUE) {
      float[] v = new float[t.getDoubleDataCount()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) t.getDoubleData(i);
      }
      return v;
    }
    long[] ints = longs(t);
    float[] v = new float[ints.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = ints[i];
    }
    return v;
  }
}
