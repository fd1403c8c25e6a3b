package org.cam4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cam4j.Cam4j;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Explanation;
import org.cam4j.explain.Manifest;
import org.cam4j.image.Preprocessing;
import org.cam4j.internal.io.StagingFolders;
import org.cam4j.labels.Prediction;
import org.cam4j.registry.Downloader;
import org.cam4j.registry.ModelCache;
import org.cam4j.registry.ModelCatalog;
import org.cam4j.registry.ModelRegistry;
import org.cam4j.registry.ProgressListener;
import org.cam4j.registry.ResolvedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded MobileNetV2: its recorded digests, its verified copy and the explanation. */
class EmbeddedModelTest {
  private static final List<ResourceFile> FILES = List.of(EmbeddedModel.MODEL,
      EmbeddedModel.LABELS, EmbeddedModel.PREPROCESSING);

  @TempDir
  Path tmp;

  /** So a corrupted or swapped resource in the jar is caught by the digests recorded here. */
  @Test
  void resourcesMatchTheirRecordedSizeAndDigest() throws Exception {
    for (ResourceFile f : FILES) {
      byte[] bytes;
      try (InputStream in = EmbeddedModel.class.getResourceAsStream(f.resource())) {
        bytes = in.readAllBytes();
      }
      assertEquals(f.bytes(), bytes.length, f.resource());
      assertEquals(f.sha256(), sha256(bytes), f.resource());
    }
  }

  /** The recorded digest is the one the model card beside the shared model gives. */
  @Test
  void recordedDigestIsTheModelCardsAndTheSharedFiles() throws Exception {
    String card = Files.readString(shared("models/mobilenet_v2_1.0_224_dequant.md"));
    assertTrue(card.contains("sha256: `" + EmbeddedModel.SHA256 + "`"), "card digest");
    assertEquals(EmbeddedModel.SHA256, sha256(Files.readAllBytes(
        shared("models/mobilenet_v2_1.0_224_dequant.onnx"))));
    assertEquals(EmbeddedModel.LABELS.sha256(), sha256(Files.readAllBytes(
        shared("labels/imagenet_labels_1001.txt"))));
  }

  @Test
  void corruptedBytesAreRefusedAndNothingIsKept() throws Exception {
    byte[] labels;
    try (InputStream in = EmbeddedModel.class.getResourceAsStream(
        EmbeddedModel.LABELS.resource())) {
      labels = in.readAllBytes();
    }
    labels[100] ^= 1;
    Path target = tmp.resolve("copy").resolve("imagenet_labels_1001.txt");
    EmbeddedModelException e = assertThrows(EmbeddedModelException.class,
        () -> VerifiedCopy.copy(new ByteArrayInputStream(labels), EmbeddedModel.LABELS, target));
    assertTrue(e.getMessage().contains("is corrupted"), e.getMessage());
    assertTrue(e.getMessage().contains(EmbeddedModel.LABELS.sha256()), e.getMessage());
    assertEquals(List.of(), listing(target.getParent()), "no copy and no temporary file");

    byte[] truncated = Arrays.copyOf(labels, 1000);
    assertThrows(EmbeddedModelException.class, () -> VerifiedCopy.copy(
        new ByteArrayInputStream(truncated), EmbeddedModel.LABELS, target));
    assertEquals(List.of(), listing(target.getParent()));
  }

  @Test
  void aCopyKilledMidwayIsClearedByTheNext() throws Exception {
    Process killed = new ProcessBuilder("cat").start(); // stands for a cam4j killed while copying
    String owner = StagingFolders.owner(killed.toHandle());
    killed.destroyForcibly().waitFor();
    Path target = tmp.resolve("copy").resolve("imagenet_labels_1001.txt");
    Path leftover = Files.createDirectories(target.getParent().resolve(owner + "1"));
    Files.writeString(leftover.resolve("imagenet_labels_1001.txt"), "half a copy");
    try (InputStream in = EmbeddedModel.class.getResourceAsStream(
        EmbeddedModel.LABELS.resource())) {
      VerifiedCopy.copy(in, EmbeddedModel.LABELS, target);
    }
    assertEquals(List.of("imagenet_labels_1001.txt"), listing(target.getParent()));
  }

  @Test
  void firstResolveCopiesVerifiedFilesTheNextReusesThem() throws Exception {
    ResolvedModel first = new MobileNetV2Provider().resolve(tmp);
    Path dir = tmp.resolve("embedded").resolve("mobilenetv2-embedded-0e988c302ef9");
    assertEquals(dir.resolve("mobilenetv2-embedded.onnx"), first.model());
    assertEquals(Optional.of(dir.resolve("imagenet_labels_1001.txt")), first.labels());
    assertEquals(Optional.of(Preprocessing.INCEPTION), first.preprocessing());
    assertEquals(Optional.of("mobilenetv2-embedded"), first.embeddedName());
    assertEquals(EmbeddedModel.SHA256, sha256(Files.readAllBytes(first.model())));
    assertEquals(List.of("imagenet_labels_1001.txt", "mobilenetv2-embedded.onnx",
        "mobilenetv2-embedded.onnx.preprocess"), listing(dir));

    Object inode = Files.readAttributes(first.model(),
        BasicFileAttributes.class).fileKey();
    ResolvedModel second = new MobileNetV2Provider().resolve(tmp);
    assertEquals(first, second);
    assertEquals(inode, Files.readAttributes(second.model(),
        BasicFileAttributes.class).fileKey(), "not copied again");
  }

  @Test
  void concurrentFirstResolvesEachGetTheVerifiedModel() throws Exception {
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool =
        Executors.newFixedThreadPool(threads);
    try {
      List<Future<ResolvedModel>> runs = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        runs.add(pool.submit(() -> {
          start.await();
          ResolvedModel r = new MobileNetV2Provider().resolve(tmp);
          // each caller reads a complete, verified file the moment it gets the path
          assertEquals(EmbeddedModel.SHA256, sha256(Files.readAllBytes(r.model())));
          return r;
        }));
      }
      for (Future<ResolvedModel> run : runs) {
        assertEquals(tmp.resolve("embedded/mobilenetv2-embedded-0e988c302ef9/"
            + "mobilenetv2-embedded.onnx"), run.get().model());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(3, listing(tmp.resolve("embedded/mobilenetv2-embedded-0e988c302ef9")).size(),
        "the three files and no temporary one");
  }

  @Test
  void theRegistryFindsTheModelThroughServiceLoader() {
    ModelRegistry registry = new ModelRegistry(ModelCatalog.bundled(), new ModelCache(tmp),
        Downloader.builder().offline(true).build());
    ResolvedModel r = registry.resolve("mobilenetv2-embedded", ProgressListener.NONE);
    assertEquals(Optional.of("mobilenetv2-embedded"), r.registryName());
    assertTrue(r.model().startsWith(tmp), r.model().toString());
  }

  /** The card: cat.png gives 286 "Egyptian cat" with p 0.818 (3 decimals, hence 1e-3). */
  @Test
  void cam4jLoadExplainsTheCatAsAnEgyptianCat() throws Exception {
    Path photo = shared("images/cat.png");
    BufferedImage original = ImageIO.read(photo.toFile());
    try (Explainer model = Cam4j.load()) {
      Explanation e = model.explain(photo);
      Prediction top = e.predictions().get(0);
      assertEquals(286, top.index());
      assertEquals("Egyptian cat", top.label());
      assertEquals(0.818, top.probability(), 1e-3);
      assertEquals(286, e.target().index());
      assertEquals(original.getWidth(), e.overlay().getWidth());
      assertEquals(original.getHeight(), e.overlay().getHeight());
      Manifest.ModelInfo info = e.manifest().model();
      assertEquals("mobilenetv2-embedded", info.path(), "a stable name, not the cache path");
      assertEquals(EmbeddedModel.SHA256, info.sha256());
      assertEquals("MobilenetV2/Conv_1/Relu6", e.layers().get(0));
    }
    assertTrue(Files.isRegularFile(EmbeddedModel.path()), "copied into $CAM4J_CACHE");
    assertTrue(EmbeddedModel.path().startsWith(Path.of(System.getenv("CAM4J_CACHE"))
        .toAbsolutePath()), EmbeddedModel.path().toString());
  }

  private static List<String> listing(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static Path shared(String relative) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("models"))) {
        return candidate.resolve(relative);
      }
    }
    throw new IllegalStateException("shared/ not found beside the project");
  }
}
