package org.cam4j.internal.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cam4j.ResourceUnavailableException;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.TensorValues;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.StringStringEntryProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * The float weights of a model held once in native memory and lent to every session of it:
 * a model given to ONNX Runtime keeps these initializers' names, shapes and types but not their
 * data (they are marked as external data), and ONNX Runtime takes the data from here
 * ({@code SessionOptions.addExternalInitializers}) instead of copying it into each session.
 * Small initializers (shape constants and the like) stay inline.
 *
 * <p>Reference counted: the creator holds one reference, each session opened on the weights
 * {@link #retain() retains} one, and the native tensors are freed when the last is
 * {@link #release() released}, so the weights outlive every session reading them.
 */
public final class SharedWeights {
  /** Below this size an initializer stays in the model: sharing it saves nothing. */
  private static final int MIN_BYTES = 4096;
  private static final String LOCATION = "cam4j-shared-weights";

  private final Map<String, OnnxTensor> tensors;
  private final long bytes;
  private final AtomicInteger references = new AtomicInteger(1);

  private SharedWeights(Map<String, OnnxTensor> tensors, long bytes) {
    this.tensors = tensors;
    this.bytes = bytes;
  }

  /** The float initializers of {@code graph} of at least 4 KiB, copied once into native memory. */
  public static SharedWeights of(OrtEnvironment env, ModelGraph graph) {
    Map<String, OnnxTensor> tensors = new HashMap<>();
    long bytes = 0;
    try {
      for (TensorProto t : graph.proto().getGraph().getInitializerList()) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE
            || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL
            || (long) t.getRawData().size() + t.getFloatDataCount() * 4L < MIN_BYTES) {
          continue;
        }
        ByteBuffer data = ByteBuffer.allocateDirect(t.getRawData().isEmpty()
            ? t.getFloatDataCount() * Float.BYTES : t.getRawData().size())
            .order(ByteOrder.nativeOrder());
        if (t.getRawData().isEmpty() || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
          data.asFloatBuffer().put(TensorValues.floats(t));
        } else {
          t.getRawData().copyTo(data);
          data.flip();
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        tensors.put(t.getName(), OnnxTensor.createTensor(env, data.asFloatBuffer(), dims));
        bytes += data.capacity();
      }
    } catch (OrtException e) {
      tensors.values().forEach(OnnxTensor::close);
      throw new ResourceUnavailableException("cannot hand the model's weights to ONNX Runtime: "
          + e.getMessage(), e);
    }
    return new SharedWeights(Map.copyOf(tensors), bytes);
  }

  /** Native bytes the shared weights take (once, whatever the number of sessions). */
  public long bytes() {
    return bytes;
  }

  /** {@code model} with the data of the shared initializers left out. */
  public ModelProto strip(ModelProto model) {
    GraphProto.Builder g = model.getGraph().toBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      TensorProto t = g.getInitializer(i);
      if (tensors.containsKey(t.getName())) {
        g.setInitializer(i, TensorProto.newBuilder().setName(t.getName())
            .setDataType(t.getDataType()).addAllDims(t.getDimsList())
            .setDataLocation(TensorProto.DataLocation.EXTERNAL)
            .addExternalData(StringStringEntryProto.newBuilder().setKey("location")
                .setValue(LOCATION)));
      }
    }
    return model.toBuilder().setGraph(g).build();
  }

  /** The shared tensors a model from {@link #strip} refers to. */
  public Map<String, OnnxTensorLike> usedBy(ModelProto stripped) {
    Map<String, OnnxTensorLike> used = new HashMap<>();
    for (TensorProto t : stripped.getGraph().getInitializerList()) {
      OnnxTensor shared = tensors.get(t.getName());
      if (shared != null) {
        used.put(t.getName(), shared);
      }
    }
    return used;
  }

  /** One more user of the weights; fails once they were freed. */
  public void retain() {
    if (references.getAndUpdate(n -> n == 0 ? 0 : n + 1) == 0) {
      throw new IllegalStateException("the shared weights were freed");
    }
  }

  /** One user fewer; the last frees the native tensors. */
  public void release() {
    if (references.decrementAndGet() == 0) {
      tensors.values().forEach(OnnxTensor::close);
    }
  }
}
