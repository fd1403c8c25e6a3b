package org.cam4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Load bench (not a unit test): starts {@code cam4j serve} as its own process on a free loopback
 * port, sends CLIENTS concurrent clients x REQUESTS explain requests of cat.png, checks every
 * answer (200, class 286 'Egyptian cat' explained and top-1, an overlay of the photo's size that
 * matches the first answer's), and reports errors, latency percentiles, throughput and the
 * server's peak resident memory (VmHWM). Run it with {@code cam4j-server/bench/load-bench.sh}.
 *
 * <p>Arguments: {@code [--clients N] [--requests N] [--method M] [--workers N] [--queue N]
 * [--java-opts "..."]}.
 */
public final class LoadBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LoadBench() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new TreeMap<>(Map.of("--clients", "50", "--requests", "10",
        "--method", "gradcam", "--queue", "64", "--java-opts", ""));
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i], args[i + 1]);
    }
    int clients = Integer.parseInt(opt.get("--clients"));
    int requests = Integer.parseInt(opt.get("--requests"));
    Path root = Path.of("").toAbsolutePath();
    Path shared = root.resolveSibling("shared");
    Path jar = root.resolve("cam4j-cli/target/cam4j-cli.jar");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String o : opt.get("--java-opts").split("\\s+")) {
      if (!o.isBlank()) {
        cmd.add(o);
      }
    }
    cmd.addAll(List.of("-jar", jar.toString(), "serve", "--port", "0", "--model",
        shared.resolve("models/mobilenet_v2_1.0_224_dequant.onnx").toString(), "--labels",
        shared.resolve("labels/imagenet_labels_1001.txt").toString(), "--preprocess",
        "inception", "--queue", opt.get("--queue")));
    if (opt.containsKey("--workers")) {
      cmd.addAll(List.of("--workers", opt.get("--workers")));
    }
    Process server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.UTF_8));
      String line = out.readLine();
      System.out.println(line);
      Matcher m = Pattern.compile("at (http://\\S+/)").matcher(String.valueOf(line));
      if (!m.find()) {
        throw new IllegalStateException("serve did not start: " + line);
      }
      run(URI.create(m.group(1)), server.pid(), clients, requests, opt.get("--method"),
          Files.readAllBytes(shared.resolve("images/cat.png")));
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static void run(URI base, long pid, int clients, int requests, String method,
      byte[] photo) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    String boundary = "cam4j-bench";
    ByteArrayOutputStream form = new ByteArrayOutputStream();
    form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"method\"\r\n"
        + "\r\n" + method + "\r\n--" + boundary + "\r\nContent-Disposition: form-data;"
        + " name=\"image\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    form.writeBytes(photo);
    form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    byte[] body = form.toByteArray();
    HttpRequest request = HttpRequest.newBuilder(base.resolve("api/explain"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofMinutes(5))
        .build();

    // warm up (sessions built), and the reference overlay every answer must match
    long rssBefore = vm(pid, "VmRSS");
    Outcome first = call(http, base, request);
    if (first.status != 200) {
      throw new IllegalStateException("warm-up failed: " + first.status + " " + first.problem);
    }
    BufferedImage reference = decode(first.json.path("images").path("overlay").asText());
    long rssWarm = vm(pid, "VmRSS");
    System.out.printf(Locale.ROOT, "server pid %d: RSS %d MiB started, %d MiB after warm-up%n",
        pid, rssBefore >> 10, rssWarm >> 10);

    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> problems = new ConcurrentHashMap<>();
    AtomicInteger ok = new AtomicInteger();
    AtomicLong peakRss = new AtomicLong(rssWarm);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        try {
          start.await();
          for (int r = 0; r < requests; r++) {
            long t0 = System.nanoTime();
            Outcome o = call(http, base, request);
            latencies.add(System.nanoTime() - t0);
            String problem = o.status != 200 ? "HTTP " + o.status + " " + o.problem
                : check(o.json, reference);
            if (problem == null) {
              ok.incrementAndGet();
            } else {
              problems.computeIfAbsent(problem, k -> new AtomicInteger()).incrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      threads.add(t);
    }
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakRss.accumulateAndGet(vm(pid, "VmRSS"), Math::max);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    long t0 = System.nanoTime();
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    sampler.interrupt();
    long hwm = vm(pid, "VmHWM");

    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    int total = clients * requests;
    int errors5xx = problems.entrySet().stream().filter(e -> e.getKey().startsWith("HTTP 5"))
        .mapToInt(e -> e.getValue().get()).sum();
    System.out.printf(Locale.ROOT, "requests: %d (%d clients x %d), correct: %d, wrong or"
        + " failed: %d (5xx: %d)%n", total, clients, requests, ok.get(), total - ok.get(),
        errors5xx);
    problems.forEach((p, n) -> System.out.println("  " + n + " x " + p));
    System.out.printf(Locale.ROOT, "latency ms: p50 %.0f  p95 %.0f  p99 %.0f  max %.0f;"
        + " throughput %.1f req/s over %.1f s%n", pct(sorted, 50), pct(sorted, 95),
        pct(sorted, 99), sorted.get(sorted.size() - 1) / 1e6, total / seconds, seconds);
    System.out.printf(Locale.ROOT, "server peak RSS: %d MiB (VmHWM; sampled peak %d MiB)%n",
        hwm >> 10, peakRss.get() >> 10);
    System.out.println(errors5xx == 0 && ok.get() == total ? "RESULT: pass" : "RESULT: FAIL");
    if (ok.get() != total) {
      System.exit(1);
    }
  }

  private record Outcome(int status, JsonNode json, String problem) {
  }

  /** One request; a 202 job is polled until it ends. */
  private static Outcome call(HttpClient http, URI base, HttpRequest request)
      throws InterruptedException {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = JSON.readTree(r.body());
      while (r.statusCode() == 202) {
        Thread.sleep(200);
        r = http.send(HttpRequest.newBuilder(base.resolve(json.path("href").asText())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        json = JSON.readTree(r.body());
      }
      return new Outcome(r.statusCode(), json, json.path("error").asText(""));
    } catch (IOException e) {
      return new Outcome(-1, null, e.toString());
    }
  }

  private static String check(JsonNode j, BufferedImage reference) {
    if (j.path("target").path("index").asInt() != 286
        || !"Egyptian cat".equals(j.path("target").path("label").asText())) {
      return "wrong class explained: " + j.path("target");
    }
    if (j.path("predictions").path(0).path("index").asInt() != 286) {
      return "wrong top-1: " + j.path("predictions").path(0);
    }
    BufferedImage overlay = decode(j.path("images").path("overlay").asText());
    if (overlay.getWidth() != 512 || overlay.getHeight() != 341) {
      return "overlay size " + overlay.getWidth() + "x" + overlay.getHeight();
    }
    if (difference(overlay, reference) > 1.0) {
      return "overlay differs from the first answer's";
    }
    return null;
  }

  private static BufferedImage decode(String b64) {
    try {
      return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double difference(BufferedImage a, BufferedImage b) {
    long sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
          sum += Math.abs(((p >> s) & 255) - ((q >> s) & 255));
        }
      }
    }
    return sum / (3.0 * a.getWidth() * a.getHeight());
  }

  private static double pct(List<Long> sorted, double p) {
    int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
  }

  /** A /proc/PID/status field in KiB (VmRSS, VmHWM); 0 where /proc is not there. */
  private static long vm(long pid, String field) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith(field + ":")) {
          return Long.parseLong(l.replaceAll("\\D+", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
