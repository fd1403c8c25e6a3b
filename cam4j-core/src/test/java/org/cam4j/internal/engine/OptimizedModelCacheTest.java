package org.cam4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.cam4j.SharedData;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.engine.GradientResult;
import org.cam4j.explain.Target;
import org.cam4j.internal.io.Sha256;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk cache of ONNX Runtime's optimised models: a session loaded from it computes
 * bit-for-bit what a freshly optimised one does, an entry is reused and never rewritten, the key
 * separates what changes the optimised model, and an entry that is corrupt, or that ONNX Runtime
 * cannot load, is replaced by a rebuilt one.
 */
class OptimizedModelCacheTest {
  private static final Path MODEL = SharedData.path("models/random/squeezenet1_1_random.onnx");
  private static final String LATE = "/features/features.12/Concat_output_0";
  private static final String EARLY = "/features/features.7/Concat_output_0";
  private static final FloatTensor INPUT = input();

  @TempDir
  Path dir;

  private static FloatTensor input() {
    Random r = new Random(7);
    float[] v = new float[3 * 224 * 224];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return FloatTensor.of(new long[] {1, 3, 224, 224}, v);
  }

  private EngineOptions cached(int threads) {
    return EngineOptions.builder().intraOpThreads(threads).optimizedModelCache(dir).build();
  }

  private static GradientResult explain(EngineOptions options, String... layers) {
    try (CamModel m = CamModel.load(MODEL, options)) {
      return m.forwardBackward(INPUT, List.of(layers), Target.top());
    }
  }

  private static void assertBitEqual(GradientResult expected, GradientResult actual) {
    assertArrayEquals(expected.scores().toArray(), actual.scores().toArray());
    for (String layer : expected.layers()) {
      assertArrayEquals(expected.activation(layer).toArray(), actual.activation(layer).toArray(),
          layer);
      assertArrayEquals(expected.gradient(layer).toArray(), actual.gradient(layer).toArray(),
          layer);
    }
  }

  /** The published entries (staging files excluded, and asserted gone). */
  private List<Path> entries() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.sorted().toList();
      assertEquals(List.of(), all.stream()
          .filter(p -> p.getFileName().toString().startsWith(".staging")).toList());
      return all;
    }
  }

  private static String contentDigest(byte[] bytes) throws Exception {
    MessageDigest d = Sha256.newDigest();
    return HexFormat.of().formatHex(d.digest(bytes)).substring(0, 16);
  }

  @Test
  void aCachedSessionIsReusedAndComputesBitEqualResults() throws Exception {
    GradientResult plain = explain(EngineOptions.builder().intraOpThreads(1).build(), LATE);
    GradientResult first = explain(cached(1), LATE);
    List<Path> written = entries();
    assertEquals(1, written.size(), "one gradient session, one entry: " + written);
    Path entry = written.get(0);
    String name = entry.getFileName().toString();
    assertTrue(name.endsWith("-" + contentDigest(Files.readAllBytes(entry)) + ".onnx"), name);
    FileTime writtenAt = FileTime.fromMillis(0);
    Files.setLastModifiedTime(entry, writtenAt);

    GradientResult second = explain(cached(1), LATE);
    assertEquals(written, entries());
    assertEquals(writtenAt, Files.getLastModifiedTime(entry), "the entry was read, not rewritten");
    assertBitEqual(plain, first);
    assertBitEqual(plain, second);
  }

  @Test
  void layersAndThreadsGetTheirOwnEntries() throws Exception {
    explain(cached(1), LATE);
    explain(cached(1), EARLY);
    explain(cached(1), LATE, EARLY);
    explain(cached(2), LATE);
    assertEquals(4, entries().size());
    explain(cached(2), LATE);
    assertEquals(4, entries().size());
  }

  @Test
  void theKeyChangesWithEachOfItsParts() {
    byte[] model = "model".getBytes(StandardCharsets.UTF_8);
    String key = OptimizedModelCache.key(model, "weights", "options", "1.26.0");
    assertEquals(key, OptimizedModelCache.key(model.clone(), "weights", "options", "1.26.0"));
    assertNotEquals(key, OptimizedModelCache.key("model2".getBytes(StandardCharsets.UTF_8),
        "weights", "options", "1.26.0"));
    assertNotEquals(key, OptimizedModelCache.key(model, "weights2", "options", "1.26.0"));
    assertNotEquals(key, OptimizedModelCache.key(model, "weights", "options2", "1.26.0"));
    assertNotEquals(key, OptimizedModelCache.key(model, "weights", "options", "1.27.0"));
  }

  @Test
  void aCorruptEntryIsRebuilt() throws Exception {
    GradientResult plain = explain(EngineOptions.builder().intraOpThreads(1).build(), LATE);
    explain(cached(1), LATE);
    Path entry = entries().get(0);
    byte[] good = Files.readAllBytes(entry);
    byte[] corrupt = good.clone();
    corrupt[corrupt.length / 2] ^= 0x5a; // one flipped weight byte: loads, but is wrong
    Files.write(entry, corrupt);

    GradientResult rebuilt = explain(cached(1), LATE);
    assertBitEqual(plain, rebuilt);
    List<Path> after = entries();
    assertEquals(1, after.size());
    byte[] now = Files.readAllBytes(after.get(0));
    assertTrue(after.get(0).getFileName().toString()
        .endsWith("-" + contentDigest(now) + ".onnx"));
    assertFalse(java.util.Arrays.equals(corrupt, now));
  }

  @Test
  void anEntryOnnxRuntimeCannotLoadIsRebuilt() throws Exception {
    GradientResult plain = explain(EngineOptions.builder().intraOpThreads(1).build(), LATE);
    explain(cached(1), LATE);
    Path good = entries().get(0);
    String name = good.getFileName().toString();
    String key = name.substring(0, name.lastIndexOf('-'));
    byte[] garbage = "not an onnx model".getBytes(StandardCharsets.UTF_8);
    Files.delete(good);
    Path unloadable = dir.resolve(key + "-" + contentDigest(garbage) + ".onnx");
    Files.write(unloadable, garbage); // passes the content check, fails in ONNX Runtime

    GradientResult rebuilt = explain(cached(1), LATE);
    assertBitEqual(plain, rebuilt);
    List<Path> after = entries();
    assertEquals(1, after.size());
    assertFalse(after.contains(unloadable));
    assertTrue(after.get(0).getFileName().toString().startsWith(key + "-"));
  }
}
