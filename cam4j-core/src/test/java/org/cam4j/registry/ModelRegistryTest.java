package org.cam4j.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.image.Preprocessing;
import org.cam4j.labels.LabelsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  private static final byte[] MODEL = Payloads.bytes(200_000, 10);
  private static final byte[] LABELS = "cat\ndog\n".getBytes(StandardCharsets.UTF_8);
  // timeouts that cannot fire during a test: no outcome depends on how fast the machine is
  private static final Downloader DOWNLOADER = Downloader.builder()
      .connectTimeout(Duration.ofDays(1)).responseTimeout(Duration.ofDays(1))
      .idleTimeout(Duration.ofDays(1)).build();

  @TempDir
  Path tmp;

  private Path cacheDir() {
    return tmp.resolve("cache");
  }

  private ModelRegistry registry(RemoteFile model, RemoteFile labels) {
    ModelEntry entry = ModelEntry.builder("tiny", model).labels(labels)
        .preprocessing(Preprocessing.TORCH).build();
    return new ModelRegistry(ModelCatalog.of(List.of(entry), "tiny"), new ModelCache(cacheDir()),
        DOWNLOADER);
  }

  @Test
  void firstResolveDownloadsAndVerifiesTheSecondMakesNoRequest() throws Exception {
    try (LocalServer server = new LocalServer().serve("/m/tiny.onnx", MODEL)
        .serve("/m/labels.txt", LABELS)) {
      ModelRegistry r = registry(Payloads.file("tiny.onnx", MODEL, server.url("/m/tiny.onnx")),
          Payloads.file("labels.txt", LABELS, server.url("/m/labels.txt")));
      ResolvedModel first = r.resolve("tiny", ProgressListener.NONE);
      assertEquals(cacheDir().resolve("tiny.onnx"), first.model());
      assertArrayEquals(MODEL, Files.readAllBytes(first.model()));
      assertArrayEquals(LABELS, Files.readAllBytes(first.labels().orElseThrow()));
      assertEquals(Optional.of(Preprocessing.TORCH), first.preprocessing());
      assertEquals(Optional.of("tiny"), first.registryName());
      assertEquals(1, server.requests("/m/tiny.onnx"));
      assertEquals(1, server.requests("/m/labels.txt"));

      ResolvedModel second = r.resolve("tiny", ProgressListener.NONE);
      assertEquals(first, second);
      assertEquals(1, server.requests("/m/tiny.onnx"));
      assertEquals(1, server.requests("/m/labels.txt"));
      assertEquals(List.of("labels.txt", "tiny.onnx"), Payloads.listing(cacheDir()));
    }
  }

  @Test
  void primaryNotFoundFallsBackToTheMirror() throws Exception {
    try (LocalServer server = new LocalServer().notFound("/primary/tiny.onnx")
        .serve("/mirror/tiny.onnx", MODEL).serve("/m/labels.txt", LABELS)) {
      ModelRegistry r = registry(Payloads.file("tiny.onnx", MODEL,
          server.url("/primary/tiny.onnx"), server.url("/mirror/tiny.onnx")),
          Payloads.file("labels.txt", LABELS, server.url("/m/labels.txt")));
      ResolvedModel resolved = r.resolve("tiny", ProgressListener.NONE);
      assertArrayEquals(MODEL, Files.readAllBytes(resolved.model()));
      assertEquals(1, server.requests("/primary/tiny.onnx"));
      assertEquals(1, server.requests("/mirror/tiny.onnx"));
    }
  }

  @Test
  void badHashFailsNamingBothDigestsAndKeepsNothing() throws Exception {
    byte[] tampered = MODEL.clone();
    tampered[1234] ^= 1;
    try (LocalServer server = new LocalServer().serve("/m/tiny.onnx", tampered)
        .serve("/m/labels.txt", LABELS)) {
      ModelRegistry r = registry(Payloads.file("tiny.onnx", MODEL, server.url("/m/tiny.onnx")),
          Payloads.file("labels.txt", LABELS, server.url("/m/labels.txt")));
      ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
          () -> r.resolve("tiny", ProgressListener.NONE));
      assertEquals("tiny", e.model());
      assertTrue(e.getMessage().contains("sha256 mismatch: expected " + Payloads.sha256(MODEL)
          + ", got " + Payloads.sha256(tampered) + "; nothing was kept"), e.getMessage());
      assertEquals(List.of(), Payloads.listing(cacheDir()));
      assertEquals(0, server.requests("/m/labels.txt"));
    }
  }

  @Test
  void truncatedTransferFailsAndKeepsNothing() throws Exception {
    try (LocalServer server = new LocalServer().truncated("/m/tiny.onnx", MODEL, 70_000)
        .serve("/m/labels.txt", LABELS)) {
      ModelRegistry r = registry(Payloads.file("tiny.onnx", MODEL, server.url("/m/tiny.onnx")),
          Payloads.file("labels.txt", LABELS, server.url("/m/labels.txt")));
      ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
          () -> r.resolve("tiny", ProgressListener.NONE));
      assertTrue(e.getMessage().startsWith("cannot download model 'tiny' (tiny.onnx, 200000"
          + " bytes): tried " + server.url("/m/tiny.onnx") + " (the connection broke after "),
          e.getMessage());
      Matcher m = DownloaderTest.BROKE.matcher(e.getMessage());
      assertTrue(m.find() && Long.parseLong(m.group(1)) <= 70_000, e.getMessage());
      assertEquals(List.of(), Payloads.listing(cacheDir()));
    }
  }

  @Test
  void offlineFailureNamesModelUrlsCauseAndTheManualAlternative() throws Exception {
    URI primary = LocalServer.closedPort("/primary/tiny.onnx");
    URI mirror = LocalServer.closedPort("/mirror/tiny.onnx");
    ModelRegistry r = registry(Payloads.file("tiny.onnx", MODEL, primary, mirror),
        Payloads.file("labels.txt", LABELS, LocalServer.closedPort("/labels.txt")));
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> r.resolve("tiny", ProgressListener.NONE));
    String m = e.getMessage();
    assertTrue(m.startsWith("cannot download model 'tiny' (tiny.onnx, 200000 bytes): tried "
        + primary + " ("), m);
    assertTrue(m.contains(primary + " (cannot connect to " + primary.getAuthority() + ")"), m);
    assertTrue(m.contains(", " + mirror + " ("), m);
    assertTrue(m.endsWith("; to do without the download, fetch " + primary + " yourself, check"
        + " that its sha256 is " + Payloads.sha256(MODEL) + ", and pass --model PATH --labels"
        + " PATH"), m);
    assertEquals(-1, m.indexOf('\n'));
    assertEquals(List.of(), Payloads.listing(cacheDir()));
  }

  @Test
  void labelsFailureSuggestsTheCachedModel() throws Exception {
    try (LocalServer server = new LocalServer().serve("/m/tiny.onnx", MODEL)
        .notFound("/m/labels.txt")) {
      ModelRegistry r = registry(Payloads.file("tiny.onnx", MODEL, server.url("/m/tiny.onnx")),
          Payloads.file("labels.txt", LABELS, server.url("/m/labels.txt")));
      ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
          () -> r.resolve("tiny", ProgressListener.NONE));
      assertTrue(e.getMessage().startsWith("cannot download the labels of model 'tiny'"
          + " (labels.txt, 8 bytes): tried " + server.url("/m/labels.txt") + " (HTTP 404)"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("and pass --model " + cacheDir().resolve("tiny.onnx")
          + " --labels PATH"), e.getMessage());
      assertEquals(List.of("tiny.onnx"), Payloads.listing(cacheDir()));
    }
  }

  @Test
  void existingFileResolvesToItselfWithItsSidecar() throws Exception {
    Path model = Files.write(tmp.resolve("net.onnx"), MODEL);
    Files.writeString(tmp.resolve("net.onnx.preprocess"), "inception # (x - 128) / 128\n");
    ModelRegistry r = registry(Payloads.file("tiny.onnx", MODEL,
        LocalServer.closedPort("/tiny.onnx")), Payloads.file("labels.txt", LABELS,
        LocalServer.closedPort("/labels.txt")));
    ResolvedModel resolved = r.resolve(model.toString(), ProgressListener.NONE);
    assertEquals(model, resolved.model());
    assertEquals(Optional.of(Preprocessing.INCEPTION), resolved.preprocessing());
    assertEquals(Optional.empty(), resolved.registryName());
    assertEquals(Optional.empty(), resolved.labels());
    LabelsException e = assertThrows(LabelsException.class, resolved::requireLabels);
    assertEquals("no labels for model file " + model + ": pass --labels PATH", e.getMessage());
    assertEquals(List.of(), Payloads.listing(cacheDir()));
  }

  @Test
  void missingPathLikeArgumentsAreMissingFiles() {
    ModelRegistry r = ModelRegistry.standard();
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> r.resolve("models/resnet50", ProgressListener.NONE));
    assertEquals("no such model file: models/resnet50", e.getMessage());
    e = assertThrows(ModelLoadException.class,
        () -> r.resolve("resnet50.onnx", ProgressListener.NONE));
    assertEquals("no such model file: resnet50.onnx", e.getMessage());
    e = assertThrows(ModelLoadException.class,
        () -> r.resolve(tmp.toString(), ProgressListener.NONE));
    assertEquals(tmp + " is a folder, not a model file", e.getMessage());
  }

  @Test
  void unknownNameSuggestsTheClosestAndListsAll() {
    ModelRegistry r = new ModelRegistry(ModelCatalog.bundled(), new ModelCache(cacheDir()),
        DOWNLOADER);
    UnknownModelException e = assertThrows(UnknownModelException.class,
        () -> r.resolve("resnet5", ProgressListener.NONE));
    assertEquals(List.of("resnet50", "resnet18"), e.suggestions());
    assertEquals("unknown model 'resnet5'; closest: resnet50, resnet18; registry models:"
        + " mobilenetv2-embedded (default), resnet50, resnet50-v1, resnet50-v1-opset12,"
        + " resnet18, mobilenetv2, squeezenet1.1, densenet121, googlenet, efficientnet-lite4;"
        + " or pass --model PATH to an .onnx file", e.getMessage());
    UnknownModelException far = assertThrows(UnknownModelException.class,
        () -> r.entry("vgg"));
    assertEquals(List.of(), far.suggestions());
  }

  @Test
  void entryWithoutLabelsExplainsWhy() throws Exception {
    try (LocalServer server = new LocalServer().serve("/m/tiny.onnx", MODEL)) {
      ModelEntry entry = ModelEntry.builder("nolabels",
          Payloads.file("tiny.onnx", MODEL, server.url("/m/tiny.onnx")))
          .labelsNote("no verified labels file is recorded").build();
      ModelRegistry r = new ModelRegistry(ModelCatalog.of(List.of(entry), "nolabels"),
          new ModelCache(cacheDir()), DOWNLOADER);
      ResolvedModel resolved = r.resolve("nolabels", ProgressListener.NONE);
      assertEquals(Optional.empty(), resolved.labels());
      LabelsException e = assertThrows(LabelsException.class, resolved::requireLabels);
      assertEquals("model 'nolabels' comes without labels: no verified labels file is recorded;"
          + " pass --labels PATH", e.getMessage());
    }
  }

  @Test
  void embeddedNameWithoutItsJarAsksForTheArtifact() {
    // cam4j-core's own tests run without cam4j-models on the class path
    ModelRegistry r = new ModelRegistry(ModelCatalog.bundled(), new ModelCache(cacheDir()),
        DOWNLOADER);
    assertEquals("mobilenetv2-embedded", r.defaultName());
    assertEquals("mobilenetv2-embedded", r.names().get(0));
    EmbeddedModelMissingException e = assertThrows(EmbeddedModelMissingException.class,
        () -> r.resolve("mobilenetv2-embedded", ProgressListener.NONE));
    assertEquals("mobilenetv2-embedded", e.model());
    assertTrue(e.getMessage().contains("add the dependency org.cam4j:cam4j-models"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> r.entry("mobilenetv2-embedded"));
    assertTrue(Files.notExists(cacheDir()), "nothing written");
  }

  @Test
  void embeddedNameResolvesThroughItsProviderWithoutNetwork() throws Exception {
    Path model = Files.writeString(tmp.resolve("e.onnx"), "model");
    Path labels = Files.writeString(tmp.resolve("e.txt"), "cat\n");
    List<Path> askedFor = new ArrayList<>();
    EmbeddedModelProvider provider = new EmbeddedModelProvider() {
      @Override
      public String name() {
        return "mobilenetv2-embedded";
      }

      @Override
      public ResolvedModel resolve(Path cacheDir) {
        askedFor.add(cacheDir);
        return ResolvedModel.embedded(name(), model, labels, Preprocessing.INCEPTION);
      }
    };
    ModelRegistry r = new ModelRegistry(ModelCatalog.bundled(), new ModelCache(cacheDir()),
        Downloader.builder().offline(true).build(), List.of(provider));
    ResolvedModel resolved = r.resolve("mobilenetv2-embedded", ProgressListener.NONE);
    assertEquals(List.of(cacheDir()), askedFor);
    assertEquals(model, resolved.model());
    assertEquals(Optional.of(labels), resolved.labels());
    assertEquals(Optional.of(Preprocessing.INCEPTION), resolved.preprocessing());
    assertEquals(Optional.of("mobilenetv2-embedded"), resolved.embeddedName());
    assertEquals(Optional.of("mobilenetv2-embedded"), resolved.registryName());
    assertEquals(Optional.empty(), resolved.entry());
  }
}
