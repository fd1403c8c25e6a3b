package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime writes its log to the process's stderr from native code, past System.err: only a
 * separate process shows whether a failure inside a run comes out as cam4j's one line alone.
 */
class NativeLogTest {
  @TempDir
  Path tmp;

  @Test
  void aModelThatFailsInsideOnnxRuntimeGivesOneLineAndNoNativeLog() throws Exception {
    // column 12 of 10: valid to load (shape inference does not read indices), fails when run;
    // ONNX Runtime would log "Non-zero status code returned while running Gather node" first
    GraphProto graph = GraphProto.newBuilder().setName("bad_gather")
        .addInitializer(Onnx.longTensor("column_12", new long[] {1}, new long[] {12}))
        .addNode(Onnx.node("Flatten", "flatten", List.of("x"), List.of("flat")))
        .addNode(Onnx.node("Gather", "gather", List.of("flat", "column_12"), List.of("score"),
            Onnx.attr("axis", 1L)))
        .addInput(Onnx.floatValueInfo("x", new long[] {1, 1, 2, 5}))
        .addOutput(Onnx.floatValueInfo("score", null))
        .build();
    Path model = tmp.resolve("bad.onnx");
    Files.write(model, ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph).build().toByteArray());
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "layers", "--model", model.toString(), "--threads", "1").start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(3, p.waitFor(), out + err);
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("cam4j: error: "), err);
  }
}
