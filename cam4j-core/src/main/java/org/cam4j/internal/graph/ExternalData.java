package org.cam4j.internal.graph;

import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.internal.onnx.AttributeProto;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.StringStringEntryProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * Reads tensors stored outside the model file (ONNX external data: {@code location},
 * {@code offset}, {@code length}) into the model, for initializers and for the tensor attributes
 * of nodes such as {@code Constant}. A location is resolved against the model's folder and must
 * stay inside it once every symbolic link is followed: a model cannot make cam4j read
 * {@code /etc/passwd} through {@code ../} or through a link beside it.
 */
final class ExternalData {
  private final Path folder;

  /** {@code folder} is the real path of the folder holding the model file. */
  private ExternalData(Path folder) {
    this.folder = folder;
  }

  /**
   * The model with every external tensor read in; {@code modelFolder} is the folder the model
   * file lies in, null for a model held in memory (which then must not use external data).
   */
  static ModelProto inline(ModelProto proto, Path modelFolder) {
    GraphProto graph = proto.getGraph();
    boolean any = graph.getInitializerList().stream().anyMatch(ExternalData::isExternal)
        || graph.getNodeList().stream().flatMap(n -> n.getAttributeList().stream())
            .anyMatch(a -> a.hasT() && isExternal(a.getT()));
    if (!any) {
      return proto;
    }
    if (modelFolder == null) {
      throw new ModelLoadException("the model stores weights in external data files; load it from"
          + " its path so they can be found next to it");
    }
    ExternalData reader;
    try {
      reader = new ExternalData(modelFolder.toRealPath());
    } catch (IOException e) {
      throw new ModelLoadException("cannot resolve the model's folder " + modelFolder + ": "
          + e.getMessage(), e);
    }
    GraphProto.Builder g = graph.toBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (isExternal(g.getInitializer(i))) {
        g.setInitializer(i, reader.read(g.getInitializer(i), "initializer"));
      }
    }
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto.Builder node = g.getNode(i).toBuilder();
      for (int a = 0; a < node.getAttributeCount(); a++) {
        AttributeProto attr = node.getAttribute(a);
        if (attr.hasT() && isExternal(attr.getT())) {
          node.setAttribute(a, attr.toBuilder().setT(reader.read(attr.getT(),
              "tensor of node '" + node.getName() + "' (" + node.getOpType() + ")")));
        }
      }
      g.setNode(i, node);
    }
    return proto.toBuilder().setGraph(g).build();
  }

  private static boolean isExternal(TensorProto t) {
    return t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
  }

  private TensorProto read(TensorProto t, String kind) {
    String what = kind + " '" + t.getName() + "'";
    String location = null;
    long offset = 0;
    long length = -1;
    for (StringStringEntryProto e : t.getExternalDataList()) {
      switch (e.getKey()) {
        case "location" -> location = e.getValue();
        case "offset" -> offset = count(what, "offset", e.getValue());
        case "length" -> length = count(what, "length", e.getValue());
        default -> { }
      }
    }
    if (location == null || location.isEmpty()) {
      throw new ModelLoadException(what + " is stored externally but names no location");
    }
    Path file = resolve(what, location);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long n = length >= 0 ? length : size - offset;
      if (offset > size || n > size - offset) {
        throw new ModelLoadException("external data file " + location + " is too short for "
            + what + ": needs bytes " + offset + " to " + (offset + Math.max(n, 0)) + ", has "
            + size + " (truncated download?)");
      }
      if (n > Integer.MAX_VALUE - 8) {
        throw new ModelLoadException(what + " is " + n + " bytes, more than one tensor cam4j"
            + " can hold (2 GB)");
      }
      ByteBuffer data = ByteBuffer.allocate((int) n);
      while (data.hasRemaining()) {
        if (channel.read(data, offset + data.position()) < 0) {
          throw new ModelLoadException("external data file " + location + " ended early while"
              + " reading " + what);
        }
      }
      return t.toBuilder().clearExternalData().clearDataLocation().setRawData(UnsafeByteOperations.unsafeWrap(data.array())).build();
    } catch (AccessDeniedException e) {
      throw new ModelLoadException("cannot read external data file " + location + " for " + what
          + ": permission denied", e);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read external data file " + location + " for " + what
          + ": " + e.getMessage(), e);
    }
  }

  /** The real path of {@code location}, refused unless it is a regular file inside the folder. */
  private Path resolve(String what, String location) {
    Path relative;
    try {
      relative = Path.of(location);
    } catch (InvalidPathException e) {
      throw new ModelLoadException(what + " has an invalid external data location: "
          + e.getMessage(), e);
    }
    if (relative.isAbsolute()) {
      throw new ModelLoadException("external data of " + what + " has an absolute location ("
          + location + "); ONNX locations are relative to the model's folder");
    }
    Path real;
    try {
      real = folder.resolve(relative).toRealPath();
    } catch (NoSuchFileException e) {
      throw new ModelLoadException("external data file " + location + " for " + what
          + " not found beside the model", e);
    } catch (IOException e) {
      throw new ModelLoadException("cannot resolve external data file " + location + " for "
          + what + ": " + e.getMessage(), e);
    }
    if (!real.startsWith(folder)) {
      throw new ModelLoadException("external data of " + what + " points outside the model's"
          + " folder: " + location + " resolves to " + real);
    }
    if (!Files.isRegularFile(real)) {
      throw new ModelLoadException("external data of " + what + " is not a regular file: "
          + location);
    }
    return real;
  }

  private static long count(String what, String key, String value) {
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the other bad values
    }
    throw new ModelLoadException(what + " has external data " + key + "='" + value
        + "', not a non-negative integer");
  }
}
