package org.cam4j.server;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cam4j.InvalidInputException;
import org.cam4j.ResourceUnavailableException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cam4j web server: a page to explain photos in the browser and a JSON API
 * ({@code /api/...}, described at {@code /openapi.json}). Models are loaded once (the
 * {@link ServedModels}) and shared; requests are computed by a fixed pool of workers behind a
 * bounded queue.
 *
 * <pre>{@code
 * ServedModels models = new ServedModels();
 * models.add(Explainer.builder(Path.of("mobilenet.onnx")).build());
 * try (Cam4jServer server = Cam4jServer.start(ServerConfig.defaults(), models)) {
 *   server.join();
 * }
 * }</pre>
 */
public final class Cam4jServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Cam4jServer.class);
  static final String WEB = "/org/cam4j/server/web";
  private static final String CSP = "default-src 'self'; img-src 'self' data: blob:;"
      + " style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none';"
      + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final ServerConfig config;
  private final ServedModels models;
  private final WorkerPool pool;
  private final JobStore jobs;
  private final ScheduledExecutorService sweeper;
  private final Javalin app;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Cam4jServer(ServerConfig config, ServedModels models) {
    this.config = config;
    this.models = models;
    MemoryBudget memory = new MemoryBudget(config.memoryBudget());
    this.pool = new WorkerPool(config, memory);
    this.jobs = new JobStore(config.maxJobs(), config.jobTtl(), memory);
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cam4j-job-sweeper");
      t.setDaemon(true);
      return t;
    });
    Api api = new Api(config, models, pool, jobs, memory);
    HostCheck hostCheck = new HostCheck(config);
    long cap = config.maxUploadBytes();
    this.app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.startup.showOldJavalinVersionWarning = false;
      c.http.maxRequestSize = 1024 * 1024;
      // the photo is kept in memory (never spilled to a temporary file) within the upload cap
      c.jetty.multipartConfig.maxFileSize(cap, io.javalin.config.SizeUnit.BYTES);
      c.jetty.multipartConfig.maxTotalRequestSize(cap + Form.FIELDS_ALLOWANCE,
          io.javalin.config.SizeUnit.BYTES);
      c.jetty.multipartConfig.maxInMemoryFileSize((int) (cap + Form.FIELDS_ALLOWANCE),
          io.javalin.config.SizeUnit.BYTES);
      c.jetty.modifyHttpConfiguration(h -> h.setSendServerVersion(false));
      c.staticFiles.add(s -> {
        s.hostedPath = "/";
        s.directory = WEB;
        s.location = Location.CLASSPATH;
      });
      c.http.prefer405over404 = true;
      c.routes.before(ctx -> {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("Cache-Control", "no-store");
        hostCheck.check(ctx.header("Host"), ctx.header("Origin"));
      });
      c.routes.get("/api/health", api::health);
      c.routes.get("/api/models", api::models);
      c.routes.get("/api/models/{id}/layers", api::layers);
      c.routes.get("/api/models/{id}/labels", api::labels);
      c.routes.post("/api/classify", api::classify);
      c.routes.post("/api/explain", api::explain);
      c.routes.get("/api/jobs/{id}", api::job);
      c.routes.delete("/api/jobs/{id}", api::deleteJob);
      c.routes.exception(ApiException.class, (e, ctx) -> {
        if (e.getCause() != null) {
          // an error mapped inside a handler (e.g. from a worker): the answer hides the cause
          LOG.warn("{} {} failed", ctx.method(), ctx.path(), e.getCause());
        }
        skipBody(ctx, cap, e.status());
        Api.error(ctx, e.redacted(models::redact));
      });
      c.routes.exception(Exception.class, (e, ctx) -> {
        ApiException api2 = Errors.toApi(e);
        if (api2.status() >= 500) {
          LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
        }
        skipBody(ctx, cap, api2.status());
        Api.error(ctx, api2.redacted(models::redact));
      });
      c.routes.error(404, ctx -> {
        if (ctx.path().startsWith("/api") && ctx.attribute(Api.ANSWERED) == null) {
          Api.error(ctx, ApiException.notFound("no endpoint " + ctx.method() + " "
              + Text.clip(ctx.path(), 100) + "; see /openapi.json", java.util.List.of()));
        }
      });
      c.routes.error(405, ctx -> {
        String allow = Routes.allowed(ctx.path());
        if (!allow.isEmpty()) {
          ctx.header("Allow", allow);
        }
        if (ctx.path().startsWith("/api") && ctx.attribute(Api.ANSWERED) == null) {
          Api.error(ctx, new ApiException(405, "method " + ctx.method() + " is not allowed on "
              + Text.clip(ctx.path(), 100), java.util.List.of()));
        }
      });
    });
  }

  /** Starts listening; fails with a clear message when the address cannot be bound. */
  public static Cam4jServer start(ServerConfig config, ServedModels models) {
    if (models.isEmpty()) {
      throw new InvalidInputException("the server needs at least one model");
    }
    Cam4jServer server = new Cam4jServer(config, models);
    try {
      server.app.start(config.host(), config.port());
    } catch (RuntimeException e) {
      server.pool.close();
      server.sweeper.shutdownNow();
      throw new ResourceUnavailableException("cannot listen on " + config.host() + ":"
          + config.port() + ": "
          + rootMessage(e), e);
    }
    server.sweeper.scheduleWithFixedDelay(server.jobs::sweep, 1, 1, TimeUnit.MINUTES);
    for (Connector connector : server.app.jettyServer().server().getConnectors()) {
      if (connector instanceof ServerConnector sc) {
        // a client that stalls mid-request is cut off after the request timeout
        sc.setIdleTimeout(config.timeout().toMillis());
      }
    }
    if (!isLoopback(config.host())) {
      LOG.warn("listening on {}: other machines can reach this server; it has no"
          + " authentication", config.host());
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (config.worstCaseHeapBytes() > heap * 0.8) {
      LOG.warn(String.format(Locale.ROOT, "the accepted work may need up to %.1f GiB of heap but"
          + " the JVM has %.1f GiB: raise -Xmx or lower the workers, queue, upload or pixel"
          + " limits", config.worstCaseHeapBytes() / 1073741824.0, heap / 1073741824.0));
    }
    return server;
  }

  public int port() {
    return app.port();
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
  public String url() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    return "http://" + host + ":" + port() + "/";
  }

  public ServerConfig config() {
    return config;
  }

  public ServedModels models() {
    return models;
  }

  /** Blocks until {@link #close()}. */
  public void join() throws InterruptedException {
    stopped.await();
  }

  /** Stops listening, stops the workers and, once none runs any more, closes the models. */
  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      sweeper.shutdownNow();
      pool.close();
      models.close();
      stopped.countDown();
    }
  }

  /**
   * Before an error answer to a request whose body was not read (refused early: busy, too
   * large, not multipart), reads and drops the body so the client, still sending, gets the
   * answer rather than a reset connection. Not when the client waits for 100-continue: then it
   * has sent nothing and gets the answer at once; nor after a 408, whose client sends too slowly
   * to wait for: its connection is closed instead.
   */
  private static void skipBody(io.javalin.http.Context ctx, long cap, int status) {
    if (status == 408) {
      ctx.header("Connection", "close");
      return;
    }
    String expect = ctx.header("Expect");
    if (ctx.method() == io.javalin.http.HandlerType.POST
        && (expect == null || !expect.toLowerCase(Locale.ROOT).contains("100-continue"))) {
      Form.drain(ctx, 4 * (cap + Form.FIELDS_ALLOWANCE));
    }
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
