package org.cam4j.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {
  private static final String HOME = "/home/ada";

  private static Path dirFor(Map<String, String> env) {
    return ModelCache.defaultDir(env::get, HOME);
  }

  @Test
  void ownVariableWinsOverXdg() {
    assertEquals(Path.of("/data/cam4j-models"),
        dirFor(Map.of("CAM4J_CACHE", "/data/cam4j-models", "XDG_CACHE_HOME", "/xdg")));
  }

  @Test
  void xdgCacheHomeGetsACam4jFolder() {
    assertEquals(Path.of("/xdg/cache/cam4j"), dirFor(Map.of("XDG_CACHE_HOME", "/xdg/cache")));
  }

  @Test
  void emptyOrRelativeValuesFallBackToHomeCache() {
    Path fallback = Path.of(HOME, ".cache", "cam4j");
    assertEquals(fallback, dirFor(Map.of()));
    assertEquals(fallback, dirFor(Map.of("CAM4J_CACHE", "", "XDG_CACHE_HOME", "")));
    assertEquals(fallback, dirFor(Map.of("XDG_CACHE_HOME", "relative/cache")));
  }

  @Test
  void onlyAFileOfTheExpectedSizeCountsAsCached(@TempDir Path dir) throws Exception {
    byte[] content = Payloads.bytes(1000, 4);
    RemoteFile file = Payloads.file("m.onnx", content, URI.create("http://x/m.onnx"));
    ModelCache cache = new ModelCache(dir);
    assertEquals(dir.resolve("m.onnx"), cache.pathOf(file));
    assertEquals(Optional.empty(), cache.cached(file));
    Files.write(dir.resolve("m.onnx"), new byte[999]);
    assertEquals(Optional.empty(), cache.cached(file));
    Files.write(dir.resolve("m.onnx"), content);
    assertEquals(Optional.of(dir.resolve("m.onnx")), cache.cached(file));
  }
}
