package org.cam4j.server;

import static org.cam4j.server.Fixtures.cat;
import static org.cam4j.server.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.cam4j.InvalidInputException;
import org.cam4j.ResourceUnavailableException;
import org.cam4j.UnsupportedModelException;
import org.cam4j.graph.NotAnImageModelException;
import org.cam4j.graph.UnknownLayerException;
import org.cam4j.image.ImageLoadException;
import org.cam4j.internal.autodiff.UnsupportedOperatorException;
import org.cam4j.labels.LabelsException;
import org.cam4j.registry.DownloadException;
import org.cam4j.registry.RemoteFile;
import org.cam4j.registry.UnknownModelException;
import org.cam4j.server.Fixtures.Answer;
import org.cam4j.server.Fixtures.Multipart;
import org.junit.jupiter.api.Test;

/**
 * Each kind of error maps to its HTTP status by its type alone; messages are chosen so that the
 * old message-text rules would have picked another status (e.g. "unknown method" on a resource
 * error, or an IllegalArgumentException, once a 400, that is a bug and now a 500).
 */
class ErrorsTest {
  private record Case(Throwable error, int status, List<String> suggestions) {
  }

  private static final String SECRET = "unknown method: internal detail at /srv/secret";

  @Test
  void eachKindMapsToItsStatusByType() {
    RemoteFile file = new RemoteFile("m.onnx", 10, "0".repeat(64),
        List.of(java.net.URI.create("https://example.org/m.onnx")));
    List<Case> table = List.of(
        new Case(new InvalidInputException("bad option"), 400, List.of()),
        new Case(new InvalidInputException("unknown method 'gradkam'", List.of("gradcam")), 400,
            List.of("gradcam")),
        new Case(new UnknownLayerException("conv9", List.of("conv1", "conv2")), 400,
            List.of("conv1", "conv2")),
        new Case(new ImageLoadException("x.png is not an image"), 400, List.of()),
        new Case(new LabelsException("no class named 'dgo'", List.of("dog")), 400,
            List.of("dog")),
        new Case(new UnknownModelException("resnt", List.of("resnet18"), List.of("resnet18"),
            "resnet18"), 404, List.of("resnet18")),
        new Case(new UnsupportedModelException("unknown method: no head"), 422, List.of()),
        new Case(new NotAnImageModelException("a 2-D input"), 422, List.of()),
        new Case(new UnsupportedOperatorException("Foo", "n1", "", List.of("Relu")), 422,
            List.of()),
        new Case(new ResourceUnavailableException(SECRET), 503, List.of()),
        new Case(new DownloadException(file, List.of("https://example.org/m.onnx (404)")), 503,
            List.of()),
        new Case(new TimeoutException(), 504, List.of()),
        new Case(new CancellationException(), 503, List.of()),
        new Case(new OutOfMemoryError(), 503, List.of()),
        new Case(new IllegalArgumentException(SECRET), 500, List.of()),
        new Case(new IllegalStateException(SECRET), 500, List.of()),
        new Case(new NullPointerException(SECRET), 500, List.of()),
        new Case(new ApiException(415, "send a photo", List.of()), 415, List.of()));
    for (Case c : table) {
      String what = c.error().getClass().getSimpleName();
      for (Throwable wrapped : List.of(c.error(), new ExecutionException(c.error()),
          new CompletionException(new ExecutionException(c.error())))) {
        ApiException api = Errors.toApi(wrapped);
        assertEquals(c.status(), api.status(), what);
        assertEquals(c.suggestions(), api.suggestions(), what);
        if (c.status() >= 500 && c.status() != 504) {
          assertFalse(api.getMessage().contains("secret"), what + ": " + api.getMessage());
        }
      }
    }
  }

  @Test
  void clientErrorsKeepTheirMessage() {
    assertEquals("x.png is not an image",
        Errors.toApi(new ImageLoadException("x.png is not an image")).getMessage());
    assertEquals(Errors.INTERNAL_MESSAGE,
        Errors.toApi(new IllegalStateException(SECRET)).getMessage());
  }

  @Test
  void aBugInsideARequestIs500WithoutItsMessage() {
    AtomicReference<RuntimeException> bug = new AtomicReference<>();
    ServerConfig config = ServerConfig.builder().port(0).taskHook(() -> {
      if (bug.get() != null) {
        throw bug.get();
      }
    }).build();
    try (Cam4jServer server = Cam4jServer.start(config, Fixtures.registry())) {
      String base = "http://127.0.0.1:" + server.port();
      bug.set(new IllegalStateException(SECRET));
      for (String path : List.of("/api/classify", "/api/explain")) {
        Answer a = Fixtures.settled(base, post(base, path, new Multipart().image(cat())));
        assertEquals(500, a.status(), path + ": " + a);
        assertEquals(Errors.INTERNAL_MESSAGE, a.error(), path);
        assertTrue(a.json().path("suggestions").isArray(), path);
        assertFalse(a.toString().contains("secret") || a.toString().contains("IllegalState"),
            path + ": " + a);
      }
      // the same request with typed errors: the user's and the model's faults keep 400 and 422
      bug.set(new InvalidInputException("your photo is upside down"));
      Answer input = post(base, "/api/classify", new Multipart().image(cat()));
      assertEquals(400, input.status(), input.toString());
      assertEquals("your photo is upside down", input.error());
      bug.set(new UnsupportedModelException("no gradient through Foo"));
      Answer model = Fixtures.settled(base, post(base, "/api/explain",
          new Multipart().image(cat())));
      assertEquals(422, model.status(), model.toString());
      bug.set(null);
      assertEquals(200, post(base, "/api/classify", new Multipart().image(cat())).status());
    }
  }
}
