package org.cam4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cam4j.Versions;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Explanation;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.image.ImageLoader;
import org.cam4j.labels.Label;
import org.cam4j.method.Methods;
import org.cam4j.render.Colormap;

/** The JSON API's handlers. */
final class Api {
  /** Request attribute set once the API has written its own answer (so 404s are not redone). */
  static final String ANSWERED = "cam4j.answered";
  /** Methods that run the network many times (tens of seconds on a CPU): the page waits for Run. */
  static final List<String> SLOW_METHODS = List.of("scorecam", "ablationcam", "smoothgrad",
      "integrated-gradients");

  private final ServerConfig config;
  private final ServedModels models;
  private final WorkerPool pool;
  private final JobStore jobs;
  private final MemoryBudget memory;
  private final ImageLoader loader;

  Api(ServerConfig config, ServedModels models, WorkerPool pool, JobStore jobs,
      MemoryBudget memory) {
    this.config = config;
    this.memory = memory;
    this.models = models;
    this.pool = pool;
    this.jobs = jobs;
    this.loader = ImageLoader.builder().maxPixels(config.maxPixels()).build();
  }

  /** {@code GET /api/health}. */
  void health(Context ctx) {
    ObjectNode body = Payloads.JSON.createObjectNode();
    body.put("status", "ok");
    body.set("models", Payloads.strings(models.ids()));
    body.put("workers", config.workers());
    body.put("running", pool.running());
    body.put("waiting", pool.waiting());
    body.put("uploading", pool.uploading());
    body.put("memoryUsedBytes", memory.used());
    body.put("queueSize", config.queueSize());
    body.put("jobs", jobs.size());
    ObjectNode limits = body.putObject("limits");
    limits.put("maxUploadBytes", config.maxUploadBytes());
    limits.put("maxPixels", config.maxPixels());
    limits.put("maxSide", config.maxSide());
    limits.put("timeoutSeconds", config.timeout().toMillis() / 1000.0);
    limits.put("jobAfterSeconds", config.jobAfter().toMillis() / 1000.0);
    limits.put("uploadTimeoutSeconds", config.uploadTimeout().toMillis() / 1000.0);
    limits.put("memoryBudgetBytes", config.memoryBudget());
    ObjectNode versions = body.putObject("versions");
    versions.put("cam4j", Versions.cam4j());
    versions.put("onnxRuntime", Versions.onnxRuntime());
    versions.put("java", Versions.java());
    json(ctx, 200, body);
  }

  /** {@code GET /api/models}: the models, and the methods and colormaps on offer. */
  void models(Context ctx) {
    ObjectNode body = Payloads.JSON.createObjectNode();
    ArrayNode list = body.putArray("models");
    for (ServedModels.Entry m : models.entries()) {
      Explainer e = m.explainer();
      ObjectNode o = list.addObject();
      o.put("id", m.id());
      o.put("file", e.modelPath().getFileName().toString());
      o.put("classes", e.labels().size());
      ArrayNode input = o.putArray("input");
      Arrays.stream(e.model().signature().inputShape(1)).forEach(input::add);
      o.put("layout", e.model().signature().layout().name());
      o.put("preprocessing", e.preprocessing().toString());
      o.put("labels", fileName(e.labels().source()));
      o.put("defaultLayer", e.model().layers().defaultLayer().name());
    }
    body.set("methods", Payloads.strings(Methods.names()));
    body.put("defaultMethod", "gradcam");
    body.set("slowMethods", Payloads.strings(SLOW_METHODS));
    body.set("inputMethods", Payloads.strings(ExplainRequest.inputMethods()));
    body.set("colormaps", Payloads.strings(Arrays.stream(Colormap.values())
        .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
    json(ctx, 200, body);
  }

  /** {@code GET /api/models/{id}/layers}: layer discovery, default marked. */
  void layers(Context ctx) {
    ServedModels.Entry m = models.require(ctx.pathParam("id"));
    LayerCatalog catalog = m.explainer().model().layers();
    ObjectNode body = Payloads.JSON.createObjectNode();
    body.put("model", m.id());
    body.put("default", catalog.defaultLayer().name());
    ArrayNode list = body.putArray("layers");
    for (LayerCatalog.Layer l : catalog.candidates()) {
      ObjectNode o = list.addObject();
      o.put("name", l.name());
      o.put("op", l.opType());
      ArrayNode shape = o.putArray("shape");
      Arrays.stream(l.shape()).forEach(shape::add);
      o.put("layout", l.describeLayout());
      o.put("default", l.equals(catalog.defaultLayer()));
      o.put("block", catalog.blockOutputs().contains(l));
    }
    body.set("blockOutputs", Payloads.strings(catalog.blockOutputs().stream()
        .map(LayerCatalog.Layer::name).toList()));
    json(ctx, 200, body);
  }

  /** {@code GET /api/models/{id}/labels}: the class names, for searching a class. */
  void labels(Context ctx) {
    ServedModels.Entry m = models.require(ctx.pathParam("id"));
    ObjectNode body = Payloads.JSON.createObjectNode();
    body.put("model", m.id());
    ArrayNode list = body.putArray("labels");
    for (Label l : m.explainer().labels().asList()) {
      ObjectNode o = list.addObject();
      o.put("index", l.index());
      o.put("name", l.name());
      if (l.wnid() != null) {
        o.put("wnid", l.wnid());
      }
    }
    json(ctx, 200, body);
  }

  /** {@code POST /api/classify}: multipart image (+ model, top) to the top-k classes. */
  void classify(Context ctx) {
    Form.checkDeclaredLength(ctx, config.maxUploadBytes());
    WorkerPool.Ticket ticket = pool.reserve(ctx.req().getContentLengthLong());
    try {
      Form form = Form.read(ctx, config);
      ServedModels.Entry m = models.require(form.param("model"));
      int top = form.integer("top", 5, 1, Math.min(ExplainRequest.MAX_TOP,
          m.explainer().labels().size()));
      byte[] image = form.image();
      String name = form.imageName();
      ticket.enter("classify");
      CompletableFuture<byte[]> result = pool.submit(ticket, () -> Payloads.classification(
          m.id(), m.explainer().classify(decode(image, name), name, top)));
      ticket = null;
      json(ctx, 200, result.get());
    } catch (ExecutionException e) {
      throw Errors.toApi(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.busy("the server is shutting down", 5);
    } finally {
      if (ticket != null) {
        ticket.release();
      }
    }
  }

  /**
   * {@code POST /api/explain}: multipart image + method (or comma-separated methods, compared),
   * layer, class, colormap, alpha, top, allLayers, async. Answers the explanation when it is ready within the job wait, else 202
   * with a job to poll.
   */
  void explain(Context ctx) {
    Form.checkDeclaredLength(ctx, config.maxUploadBytes());
    WorkerPool.Ticket ticket = pool.reserve(ctx.req().getContentLengthLong());
    try {
      Form form = Form.read(ctx, config);
      ServedModels.Entry m = models.require(form.param("model"));
      ExplainRequest request = ExplainRequest.parse(form, m.explainer());
      byte[] image = form.image();
      String name = form.imageName();
      ticket.enter(request.kind());
      CompletableFuture<byte[]> result = pool.submit(ticket,
          () -> answer(m, decode(image, name), name, request));
      ticket = null;
      if (!request.async()) {
        try {
          json(ctx, 200, result.get(config.jobAfter().toMillis(), TimeUnit.MILLISECONDS));
          return;
        } catch (TimeoutException slow) {
          // still running: hand out a job below
        }
      }
      String id = jobs.add(result);
      ctx.header("Location", "/api/jobs/" + id);
      json(ctx, 202, Payloads.job(id, result.isDone() ? "done" : "running"));
    } catch (ExecutionException e) {
      throw Errors.toApi(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.busy("the server is shutting down", 5);
    } finally {
      if (ticket != null) {
        ticket.release();
      }
    }
  }

  /** {@code DELETE /api/jobs/{id}}: drops the job and stops its work; 204, or 404. */
  void deleteJob(Context ctx) {
    String id = ctx.pathParam("id");
    if (!jobs.delete(id)) {
      throw noJob(id);
    }
    ctx.attribute(ANSWERED, Boolean.TRUE);
    ctx.status(204);
  }

  private ApiException noJob(String id) {
    return ApiException.notFound("no job '" + Text.clip(id, 40) + "' (finished jobs are kept"
        + " for " + config.jobTtl().toMinutes() + " minutes)", List.of());
  }

  /** {@code GET /api/jobs/{id}}: 202 while running, then the explanation or its error. */
  void job(Context ctx) {
    String id = ctx.pathParam("id");
    JobStore.Job job = jobs.get(id).orElseThrow(() -> noJob(id));
    if (!job.result().isDone()) {
      json(ctx, 202, Payloads.job(id, "running"));
      return;
    }
    try {
      json(ctx, 200, job.result().get());
    } catch (ExecutionException e) {
      throw Errors.toApi(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.busy("the server is shutting down", 5);
    }
  }

  /** One explanation, or, for several methods, each one's from a single shared run. */
  private static byte[] answer(ServedModels.Entry m, BufferedImage photo, String name,
      ExplainRequest request) {
    if (!request.comparison()) {
      Explanation e = m.explainer().explain(photo, name, request.options());
      return Payloads.explanation(m.id(), e, request.options().allLayers(),
          request.tileHeight());
    }
    return Payloads.comparison(m.id(), m.explainer().explainAll(photo, name, request.options()));
  }

  private BufferedImage decode(byte[] image, String name) {
    return Payloads.fit(loader.load(image, name), config.maxSide());
  }

  static void json(Context ctx, int status, Object body) {
    json(ctx, status, Payloads.bytes(body));
  }

  static void json(Context ctx, int status, byte[] body) {
    ctx.attribute(ANSWERED, Boolean.TRUE);
    ctx.status(status).contentType("application/json").result(body);
  }

  static void error(Context ctx, ApiException e) {
    if (e.retryAfterSeconds() > 0) {
      ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
    }
    json(ctx, e.status(), Payloads.error(e));
  }

  private static String fileName(String source) {
    if (source == null) {
      return null;
    }
    try {
      Path p = Path.of(source).getFileName();
      return p == null ? source : p.toString();
    } catch (RuntimeException e) {
      return source;
    }
  }
}
