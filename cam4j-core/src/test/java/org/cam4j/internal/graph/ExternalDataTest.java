package org.cam4j.internal.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.internal.onnx.StringStringEntryProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External data is read only from regular files inside the model's real folder. */
class ExternalDataTest {
  private static final float[] WEIGHTS = {0.5f, -1.25f, 2f, 3.5f, -0.75f, 1f};
  private static final float[] SCALE = {2f, -3f};

  @TempDir
  Path tmp;

  /**
   * image [1,3,2,2] -> Conv (weights "w", 2x3x1x1) -> GlobalAveragePool -> Flatten -> Mul by a
   * Constant node's [2] tensor ("scale"): scores [1,2].
   */
  private static ModelProto model(TensorProto weights, TensorProto scale) {
    return ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
        .setGraph(GraphProto.newBuilder().setName("g")
            .addInput(Onnx.floatValueInfo("image", new long[] {1, 3, 2, 2}))
            .addInitializer(weights)
            .addNode(Onnx.node("Conv", "conv", List.of("image", "w"), List.of("c")))
            .addNode(Onnx.node("GlobalAveragePool", "gap", List.of("c"), List.of("g")))
            .addNode(Onnx.node("Flatten", "flat", List.of("g"), List.of("f")))
            .addNode(Onnx.node("Constant", "k", List.of(), List.of("scale"),
                Onnx.attr("value", scale)))
            .addNode(Onnx.node("Mul", "mul", List.of("f", "scale"), List.of("scores")))
            .addOutput(Onnx.floatValueInfo("scores", new long[] {1, 2})))
        .build();
  }

  private static TensorProto external(String name, long[] dims, String location, long offset,
      long length) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(entry("location", location))
        .addExternalData(entry("offset", String.valueOf(offset)))
        .addExternalData(entry("length", String.valueOf(length)));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  private static StringStringEntryProto entry(String k, String v) {
    return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
  }

  private static byte[] floats(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  /** A model in {@code folder} whose weights and Constant both live in {@code location}. */
  private static Path writeModel(Path folder, String location) throws IOException {
    Files.createDirectories(folder);
    ModelProto m = model(external("w", new long[] {2, 3, 1, 1}, location, 0, 24),
        external("scale", new long[] {2}, location, 24, 8));
    Path file = folder.resolve("legit.onnx");
    Files.write(file, m.toByteArray());
    return file;
  }

  private static void writeData(Path file) throws IOException {
    byte[] w = floats(WEIGHTS);
    byte[] s = floats(SCALE);
    byte[] all = new byte[w.length + s.length];
    System.arraycopy(w, 0, all, 0, w.length);
    System.arraycopy(s, 0, all, w.length, s.length);
    Files.write(file, all);
  }

  @Test
  void modelGivenThroughDotDotReadsWeightsAndConstantFromItsFolder() throws IOException {
    Path model = writeModel(tmp.resolve("ext"), "weights.bin");
    writeData(tmp.resolve("ext/weights.bin"));
    Files.createDirectories(tmp.resolve("cli"));
    // the probe's "../ext/legit.onnx": a lexical folder check refused this
    Path viaDotDot = tmp.resolve("cli").resolve("..").resolve("ext").resolve("legit.onnx");
    ModelGraph graph = ModelGraph.load(viaDotDot);
    assertArrayEquals(WEIGHTS, TensorValues.floats(graph.initializer("w").orElseThrow()));
    assertArrayEquals(SCALE, TensorValues.floats(graph.constant("scale").orElseThrow()));
    try (CamModel cam = CamModel.load(viaDotDot, EngineOptions.defaults())) {
      // image all ones: channel k of the conv is the sum of w[k], then times scale[k]
      float[] scores = cam.scores(FloatTensor.of(new long[] {1, 3, 2, 2}, ones(12))).toArray();
      assertEquals((0.5f - 1.25f + 2f) * 2f, scores[0], 1e-6);
      assertEquals((3.5f - 0.75f + 1f) * -3f, scores[1], 1e-6);
    }
    assertEquals(model.toRealPath(), viaDotDot.toRealPath());
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, 1f);
    return v;
  }

  @Test
  void symbolicLinkOutOfTheFolderIsRefused() throws IOException {
    Path secret = tmp.resolve("secret.bin");
    writeData(secret);
    Path model = writeModel(tmp.resolve("m"), "link.bin");
    Files.createSymbolicLink(tmp.resolve("m/link.bin"), secret);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelGraph.load(model));
    assertEquals("external data of initializer 'w' points outside the model's folder: link.bin"
        + " resolves to " + secret.toRealPath(), e.getMessage());
  }

  @Test
  void dotDotAndAbsoluteLocationsAreRefused() throws IOException {
    writeData(tmp.resolve("secret.bin"));
    Path up = writeModel(tmp.resolve("up"), "../secret.bin");
    assertTrue(assertThrows(ModelLoadException.class, () -> ModelGraph.load(up)).getMessage()
        .startsWith("external data of initializer 'w' points outside the model's folder:"
            + " ../secret.bin resolves to "));
    Path absolute = writeModel(tmp.resolve("abs"), tmp.resolve("secret.bin").toString());
    assertEquals("external data of initializer 'w' has an absolute location ("
        + tmp.resolve("secret.bin") + "); ONNX locations are relative to the model's folder",
        assertThrows(ModelLoadException.class, () -> ModelGraph.load(absolute)).getMessage());
  }

  @Test
  void linkInsideTheFolderIsFollowed() throws IOException {
    Path model = writeModel(tmp.resolve("m"), "current.bin");
    writeData(tmp.resolve("m/weights-v2.bin"));
    Files.createSymbolicLink(tmp.resolve("m/current.bin"), Path.of("weights-v2.bin"));
    assertArrayEquals(WEIGHTS,
        TensorValues.floats(ModelGraph.load(model).initializer("w").orElseThrow()));
  }

  @Test
  void badOffsetLengthAndMissingOrShortFilesAreModelErrors() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("bad"));
    writeData(folder.resolve("weights.bin"));
    TensorProto scale = Onnx.floatTensor("scale", new long[] {2}, SCALE);
    TensorProto badOffset = external("w", new long[] {2, 3, 1, 1}, "weights.bin", 0, 24)
        .toBuilder().setExternalData(1, entry("offset", "abc")).build();
    Path model = folder.resolve("m.onnx");
    Files.write(model, model(badOffset, scale).toByteArray());
    assertEquals("initializer 'w' has external data offset='abc', not a non-negative integer",
        assertThrows(ModelLoadException.class, () -> ModelGraph.load(model)).getMessage());

    Files.write(model, model(external("w", new long[] {2, 3, 1, 1}, "weights.bin", 0, -5),
        scale).toByteArray());
    assertEquals("initializer 'w' has external data length='-5', not a non-negative integer",
        assertThrows(ModelLoadException.class, () -> ModelGraph.load(model)).getMessage());

    Files.write(model, model(external("w", new long[] {2, 3, 1, 1}, "weights.bin", 16, 24),
        scale).toByteArray());
    assertEquals("external data file weights.bin is too short for initializer 'w': needs bytes"
        + " 16 to 40, has 32 (truncated download?)",
        assertThrows(ModelLoadException.class, () -> ModelGraph.load(model)).getMessage());

    Files.write(model, model(external("w", new long[] {2, 3, 1, 1}, "gone.bin", 0, 24),
        scale).toByteArray());
    assertEquals("external data file gone.bin for initializer 'w' not found beside the model",
        assertThrows(ModelLoadException.class, () -> ModelGraph.load(model)).getMessage());
  }

  @Test
  void pipesAreRefusedAsModelAndAsExternalData() throws IOException, InterruptedException {
    Path folder = Files.createDirectories(tmp.resolve("fifo"));
    Path pipe = folder.resolve("pipe.bin");
    Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor());
    // opening a FIFO with no writer blocks: both checks must refuse it before opening
    assertEquals(pipe + " is not a regular file (a folder, pipe or device)",
        assertThrows(ModelLoadException.class, () -> ModelGraph.load(pipe)).getMessage());
    Path model = writeModel(folder, "pipe.bin");
    assertEquals("external data of initializer 'w' is not a regular file: pipe.bin",
        assertThrows(ModelLoadException.class, () -> ModelGraph.load(model)).getMessage());
  }
}
