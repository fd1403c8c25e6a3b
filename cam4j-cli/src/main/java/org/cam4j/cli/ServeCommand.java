package org.cam4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cam4j.registry.ModelRegistry;
import org.cam4j.server.Cam4jServer;
import org.cam4j.server.ServedModels;
import org.cam4j.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Serves the page and the JSON API of the cam4j-server module. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve a web page and a JSON API (/api/..., described at /openapi.json) to"
        + " classify and explain photos in the browser. Models are loaded once and shared;"
        + " a fixed pool of workers computes the requests behind a bounded queue.",
        "Listens on the loopback address unless --host says otherwise."})
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "NAME|PATH",
      description = "ONNX model file or registry name to serve; repeat for several (its id is"
          + " the file name without .onnx). Default: the embedded mobilenetv2-embedded.")
  List<String> models = new ArrayList<>();

  @Option(names = "--labels", paramLabel = "PATH",
      description = "Class names; once for all models, or once per --model in order.")
  List<Path> labels = new ArrayList<>();

  @Option(names = "--preprocess", paramLabel = "P",
      description = "Preprocessing (as for explain); once for all models, or once per --model.")
  List<String> preprocess = new ArrayList<>();

  @Option(names = "--threads", paramLabel = "N",
      description = "ONNX Runtime threads per request (default: cores / workers).")
  Integer threads;

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = ServerConfig.DEFAULT_HOST,
      description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
  String host;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
      description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--workers", paramLabel = "N",
      description = "Requests computed at once (default: cores, at most 4).")
  Integer workers;

  @Option(names = "--queue", paramLabel = "N", defaultValue = "64",
      description = "Requests that may wait for a worker; more are answered 503 (default"
          + " ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--max-upload", paramLabel = "MB", defaultValue = "20",
      description = "Largest photo upload in MiB; larger is 413 (default ${DEFAULT-VALUE}).")
  int maxUploadMb;

  @Option(names = "--max-megapixels", paramLabel = "MP", defaultValue = "24",
      description = "Largest photo decoded, in megapixels; checked before decoding (default"
          + " ${DEFAULT-VALUE}).")
  double maxMegapixels;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "Longest a request may wait and run; then 504 (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--job-after", paramLabel = "SECONDS", defaultValue = "20",
      description = "Explanations not ready after this answer 202 with a job to poll (default"
          + " ${DEFAULT-VALUE}).")
  int jobAfterSeconds;

  @Option(names = "--upload-timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "Longest a photo upload may take to arrive; slower uploads are 408. Uploads"
          + " take no queue place until they have arrived (default ${DEFAULT-VALUE}).")
  int uploadTimeoutSeconds;

  @Option(names = "--allowed-hosts", paramLabel = "NAME", split = ",",
      description = "Host names the server answers to besides its address (and localhost when"
          + " bound to loopback); others are 403, which defeats DNS rebinding. * for any.")
  List<String> allowedHosts = new ArrayList<>();

  @Option(names = "--allowed-origins", paramLabel = "ORIGIN", split = ",",
      description = "Web origins (e.g. https://app.example.org) whose pages may call the API"
          + " besides the server's own page; others are 403. * for any.")
  List<String> allowedOrigins = new ArrayList<>();

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ServerConfig.Builder config = ServerConfig.builder().host(host).port(port).queueSize(queue)
        .maxUploadBytes((long) maxUploadMb * 1024 * 1024)
        .maxPixels(Math.round(maxMegapixels * 1e6))
        .timeout(Duration.ofSeconds(timeoutSeconds)).jobAfter(Duration.ofSeconds(jobAfterSeconds))
        .uploadTimeout(Duration.ofSeconds(uploadTimeoutSeconds)).allowedHosts(allowedHosts)
        .allowedOrigins(allowedOrigins);
    if (workers != null) {
      config.workers(workers);
    }
    ServerConfig built = config.build();
    int perRequest = threads != null ? threads
        : Math.max(1, Runtime.getRuntime().availableProcessors() / built.workers());
    if (models.isEmpty()) {
      models.add(ModelRegistry.EMBEDDED_DEFAULT);
    }
    ServedModels registry = new ServedModels();
    try {
      for (int i = 0; i < models.size(); i++) {
        ModelOptions m = new ModelOptions();
        m.model = models.get(i);
        m.labels = pick(labels, i, "--labels");
        m.preprocess = pick(preprocess, i, "--preprocess");
        m.threads = perRequest;
        registry.add(m.explainer(err));
      }
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    Cam4jServer server;
    try {
      server = Cam4jServer.start(built, registry);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "cam4j-serve-stop"));
    out.println("cam4j: serving " + String.join(", ", registry.ids()) + " at " + server.url()
        + " (" + built.workers() + " workers, queue " + built.queueSize() + "; Ctrl-C stops)");
    out.flush();
    server.join();
    return 0;
  }

  private <T> T pick(List<T> values, int i, String option) {
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() == 1) {
      return values.get(0);
    }
    if (values.size() != models.size()) {
      throw new ParameterException(spec.commandLine(), "give " + option + " once for all models"
          + " or once per --model (" + models.size() + "), not " + values.size() + " times");
    }
    return values.get(i);
  }
}
