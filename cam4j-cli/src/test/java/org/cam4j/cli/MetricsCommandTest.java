package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cam4j.cli.CliProcessIT.Outcome;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cam4j metrics} in process on a 1x2x5 two-class model whose class-0 probability is
 * {@code 0.05 + sum_p 0.02 * p * x_p} (scores {@code log s, log(1 - s)}), so every number printed
 * is known: on an all-ones image with the map {@code p / 9}, deleting pixels from the most salient
 * leaves {@code 0.05 + 0.02 * (45 - removed index sum)}.
 */
class MetricsCommandTest {
  @TempDir
  Path tmp;
  private Path model;
  private Path tensor;
  private Path map;

  @BeforeEach
  void writeInputs() throws Exception {
    float[] w = new float[10];
    float[] m = new float[10];
    for (int p = 0; p < 10; p++) {
      w[p] = 0.02f * p;
      m[p] = p / 9f;
    }
    GraphProto graph = GraphProto.newBuilder().setName("linear")
        .addInitializer(Onnx.floatTensor("w", new long[] {10, 1}, w))
        .addInitializer(Onnx.floatTensor("b", new long[] {1}, new float[] {0.05f}))
        .addInitializer(Onnx.floatTensor("one", new long[] {1}, new float[] {1}))
        .addNode(Onnx.node("Flatten", "flatten", List.of("x"), List.of("flat")))
        .addNode(Onnx.node("MatMul", "matmul", List.of("flat", "w"), List.of("wx")))
        .addNode(Onnx.node("Add", "add", List.of("wx", "b"), List.of("s")))
        .addNode(Onnx.node("Sub", "sub", List.of("one", "s"), List.of("t")))
        .addNode(Onnx.node("Concat", "concat", List.of("s", "t"), List.of("p"),
            Onnx.attr("axis", 1L)))
        .addNode(Onnx.node("Log", "log", List.of("p"), List.of("score")))
        .addInput(Onnx.floatValueInfo("x", new long[] {-1, 1, 2, 5}))
        .addOutput(Onnx.floatValueInfo("score", null))
        .build();
    model = tmp.resolve("linear.onnx");
    Files.write(model, ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph).build().toByteArray());
    float[] ones = new float[10];
    java.util.Arrays.fill(ones, 1);
    tensor = tmp.resolve("input.npy");
    Files.write(tensor, Npy.toBytes(FloatTensor.of(new long[] {1, 1, 2, 5}, ones)));
    map = tmp.resolve("map.npy");
    Files.write(map, Npy.toBytes(FloatTensor.of(new long[] {1, 2, 5}, m)));
  }

  private Outcome cam4j(String... args) {
    List<String> all = new ArrayList<>(List.of("metrics", "--threads", "1"));
    all.addAll(List.of(args));
    return InProcess.cam4j(all.toArray(String[]::new));
  }

  @Test
  void printsKnownMetrics() {
    Outcome r = cam4j("--model", model.toString(), "--tensor", tensor.toString(), "--map",
        map.toString(), "--steps", "10", "--baseline", "zero", "--box", "4,1,4,1",
        "--tolerance", "0");
    assertEquals(0, r.code(), r.err());
    // top class 0 (s = 0.95); explanation: 0.05 + 0.02 * sum p^2 / 9 = 0.68333, drop 28.070 %
    assertEquals(String.join(System.lineSeparator(),
        "classes: [0]",
        "average drop: 28.070 % (lower is better)",
        "increase in confidence: 0.000 % (higher is better)",
        "deletion AUC: 0.3350 (lower is better; 10 steps to constant 0.0)",
        "insertion AUC: 0.6650 (higher is better; 10 steps from constant 0.0)",
        "pointing game: 1/1 hits, accuracy 1.000 (tolerance 0.0 px)", ""), r.out());
  }

  @Test
  void jsonHoldsTheCurves() throws Exception {
    Outcome r = cam4j("--model", model.toString(), "--tensor", tensor.toString(), "--map",
        map.toString(), "--steps", "2", "--class", "1", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(1, json.get("classes").get(0).asInt());
    JsonNode deletion = json.get("deletion");
    assertEquals("[0.0,0.5,1.0]", deletion.get("fractions").toString());
    // class 1 = 1 - s: s = 0.95, then 0.05 + 0.02 * (0+1+2+3+4), then 0.05
    JsonNode probabilities = deletion.get("images").get(0).get("probabilities");
    assertEquals(0.05, probabilities.get(0).asDouble(), 1e-6);
    assertEquals(0.75, probabilities.get(1).asDouble(), 1e-6);
    assertEquals(0.95, probabilities.get(2).asDouble(), 1e-6);
    assertEquals(0.5 * (0.05 + 0.75) / 2 + 0.5 * (0.75 + 0.95) / 2,
        deletion.get("meanAuc").asDouble(), 1e-6);
    assertEquals("blur", json.get("insertion").get("baseline").asText());
    assertTrue(json.get("pointingGame") == null, r.out());
  }

  @Test
  void badInputsExitWithThreeAndOneLine() throws Exception {
    Path wrong = tmp.resolve("wrong.npy");
    Files.write(wrong, Npy.toBytes(FloatTensor.of(new long[] {1, 5, 2}, new float[10])));
    Outcome shape = cam4j("--model", model.toString(), "--tensor", tensor.toString(), "--map",
        wrong.toString(), "--class", "0");
    assertEquals(3, shape.code());
    assertEquals("cam4j: error: map shape [1, 5, 2] does not match the input: expected"
        + " [1, 2, 5] ([N,H,W], one map per image at the input resolution)",
        shape.err().strip());

    Outcome missing = cam4j("--model", model.toString(), "--tensor", tensor.toString(), "--map",
        tmp.resolve("none.npy").toString());
    assertEquals(3, missing.code());
    assertEquals("cam4j: error: map file not found: " + tmp.resolve("none.npy"),
        missing.err().strip());

    Outcome range = cam4j("--model", model.toString(), "--tensor", tensor.toString(), "--map",
        map.toString(), "--class", "7");
    assertEquals(3, range.code());
    assertEquals("cam4j: error: class 7 is out of range: the model has 2 classes (0..1)",
        range.err().strip());

    Outcome boxes = cam4j("--model", model.toString(), "--tensor", tensor.toString(), "--map",
        map.toString(), "--box", "0,0,1,1", "--box", "0,0,1,1");
    assertEquals(3, boxes.code());
    assertEquals("cam4j: error: 2 --box options for 1 images; give one for all images or one"
        + " per image", boxes.err().strip());
  }

  @Test
  void malformedOptionsAreUsageErrors() {
    assertEquals(2, cam4j("--model", model.toString(), "--tensor", tensor.toString(), "--map",
        map.toString(), "--baseline", "grey").code());
    Outcome box = cam4j("--model", model.toString(), "--tensor", tensor.toString(), "--map",
        map.toString(), "--box", "3,0,1,1");
    assertEquals(2, box.code());
    assertTrue(box.err().contains("needs 0 <= x0 <= x1"), box.err());
    assertEquals(3, cam4j("--model", model.toString(), "--tensor", tensor.toString(), "--map",
        map.toString(), "--steps", "0").code());
  }
}
