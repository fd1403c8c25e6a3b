package org.cam4j.server;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.cam4j.InvalidInputException;

/**
 * How the server listens and how much work it accepts. Immutable; see {@link #builder()}.
 *
 * <p>Every limit exists to keep memory and waiting bounded: at most {@link #workers()} requests
 * are computed at once and at most {@link #queueSize()} more wait; a request that finds them all
 * taken, or that the work ahead would keep past the {@link #timeout()}, is answered 503. A
 * request takes its place only once its body has arrived (within {@link #uploadTimeout()}), so
 * slow uploads hold none; its memory is reserved before ({@link #memoryBudget()}). Uploads over
 * {@link #maxUploadBytes()} are refused with 413, and photos whose header claims more than
 * {@link #maxPixels()} pixels are refused before decoding.
 */
public final class ServerConfig {
  /** Loopback: only this machine can reach the server unless another host is asked for. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** 20 MiB. */
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 20L * 1024 * 1024;
  /** 24 megapixels (6000x4000). */
  public static final long DEFAULT_MAX_PIXELS = 24_000_000L;
  public static final int DEFAULT_MAX_SIDE = 2048;
  public static final int DEFAULT_QUEUE_SIZE = 64;

  private final String host;
  private final int port;
  private final long maxUploadBytes;
  private final int workers;
  private final int queueSize;
  private final Duration timeout;
  private final Duration jobAfter;
  private final long maxPixels;
  private final int maxSide;
  private final int maxJobs;
  private final Duration jobTtl;
  private final long memoryBudget;
  private final Duration uploadTimeout;
  private final List<String> allowedHosts;
  private final List<String> allowedOrigins;
  private final Runnable taskHook;
  private final Runnable checkpointHook;
  private final ServiceTimes serviceTimes;

  private ServerConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.maxUploadBytes = b.maxUploadBytes;
    this.workers = b.workers;
    this.queueSize = b.queueSize;
    this.timeout = b.timeout;
    this.jobAfter = b.jobAfter;
    this.maxPixels = b.maxPixels;
    this.maxSide = b.maxSide;
    this.maxJobs = b.maxJobs;
    this.jobTtl = b.jobTtl;
    this.memoryBudget = b.memoryBudget > 0 ? b.memoryBudget
        : Math.max(2 * perRequestBytes(b.maxUploadBytes + Form.FIELDS_ALLOWANCE),
            (long) (Runtime.getRuntime().maxMemory() * 0.6));
    this.uploadTimeout = b.uploadTimeout;
    this.allowedHosts = List.copyOf(b.allowedHosts);
    this.allowedOrigins = List.copyOf(b.allowedOrigins);
    this.taskHook = b.taskHook;
    this.checkpointHook = b.checkpointHook;
    this.serviceTimes = b.serviceTimes != null ? b.serviceTimes
        : ServiceTimes.movingAverage(200);
  }

  public static ServerConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Address to bind; {@value #DEFAULT_HOST} by default. */
  public String host() {
    return host;
  }

  /** Port to bind; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** Largest accepted request body (the photo plus the form fields). */
  public long maxUploadBytes() {
    return maxUploadBytes;
  }

  /** Requests computed at once. */
  public int workers() {
    return workers;
  }

  /** Requests that may wait for a worker; one more is answered 503 with Retry-After. */
  public int queueSize() {
    return queueSize;
  }

  /** Longest time a request may wait and run; past it the answer is 504. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * How long {@code POST /api/explain} waits for its result before answering 202 with a job id to
   * poll at {@code GET /api/jobs/{id}}.
   */
  public Duration jobAfter() {
    return jobAfter;
  }

  /** Largest photo (width x height from its header) decoded; larger ones are refused. */
  public long maxPixels() {
    return maxPixels;
  }

  /**
   * Photos whose longer side exceeds this are scaled down to it after decoding (the network input
   * is far smaller), which bounds the size of the pictures sent back.
   */
  public int maxSide() {
    return maxSide;
  }

  /** Finished jobs kept for polling; the oldest finished one is dropped first. */
  public int maxJobs() {
    return maxJobs;
  }

  /** How long a finished job's result is kept. */
  public Duration jobTtl() {
    return jobTtl;
  }

  /**
   * Heap the admitted requests and the kept job results may hold: each request takes
   * {@link #perRequestBytes} of its declared length (the upload cap when it declares none) before
   * its body is read, each finished job its result's size while it is kept, and a request that
   * does not fit is answered 503 like a full queue. Default: 60% of the JVM's maximum heap.
   */
  public long memoryBudget() {
    return memoryBudget;
  }

  /**
   * What one request is charged against the memory budget: its body twice (as received and as
   * the photo's bytes) plus 1 MiB for the answer being built.
   */
  public static long perRequestBytes(long bodyLength) {
    return 2 * bodyLength + 1024 * 1024;
  }

  /**
   * Longest time a request's body may take to arrive, counted from its headers; a slower upload
   * is answered 408 and its connection closed. Bodies are read before the request takes a place
   * in the queue, so a slow upload never blocks others.
   */
  public Duration uploadTimeout() {
    return uploadTimeout;
  }

  /**
   * Host names (of the {@code Host} header) accepted besides the defaults: the address bound,
   * and {@code localhost}, {@code 127.0.0.1} and {@code [::1]} when bound to loopback (any IP
   * address when bound to all interfaces). Requests naming another host are 403, which defeats
   * DNS rebinding. {@code *} accepts every host.
   */
  public List<String> allowedHosts() {
    return allowedHosts;
  }

  /**
   * Origins (as browsers send them, e.g. {@code https://app.example.org}) whose pages may call
   * the API besides the server's own; a request with another {@code Origin} is 403. {@code *}
   * accepts every origin.
   */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  /** Runs at the start of every task on a worker; for tests. */
  Runnable taskHook() {
    return taskHook;
  }

  /** Runs at every cancellation checkpoint of the work on a worker; for tests. */
  Runnable checkpointHook() {
    return checkpointHook;
  }

  /** The task time estimates admission uses. */
  ServiceTimes serviceTimes() {
    return serviceTimes;
  }

  /**
   * A generous upper bound of the heap the accepted work can take: the memory budget of the
   * admitted requests, plus per worker the decoded photo in its decoder's form and as RGB (and
   * rotated), at the pixel limit.
   */
  public long worstCaseHeapBytes() {
    long bodies = Math.min(memoryBudget, (long) (workers + queueSize)
        * perRequestBytes(maxUploadBytes + Form.FIELDS_ALLOWANCE));
    long decoding = (long) workers * maxPixels * (3 + 4 + 4);
    return bodies + decoding;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "host=%s port=%d maxUpload=%d workers=%d queue=%d timeout=%s"
        + " jobAfter=%s maxPixels=%d maxSide=%d", host, port, maxUploadBytes, workers, queueSize,
        timeout, jobAfter, maxPixels, maxSide);
  }

  /** Builder for {@link ServerConfig}. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
    private int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private int queueSize = DEFAULT_QUEUE_SIZE;
    private Duration timeout = Duration.ofSeconds(120);
    private Duration jobAfter = Duration.ofSeconds(20);
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private int maxSide = DEFAULT_MAX_SIDE;
    private int maxJobs = 64;
    private Duration jobTtl = Duration.ofMinutes(10);
    private long memoryBudget;
    private Duration uploadTimeout = Duration.ofSeconds(60);
    private List<String> allowedHosts = List.of();
    private List<String> allowedOrigins = List.of();
    private Runnable taskHook = () -> { };
    private Runnable checkpointHook = () -> { };
    private ServiceTimes serviceTimes;

    private Builder() {
    }

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new InvalidInputException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    public Builder maxUploadBytes(long bytes) {
      if (bytes < 1024 || bytes > Integer.MAX_VALUE - 2 * 1024 * 1024) {
        throw new InvalidInputException("upload limit must be 1 KiB..2 GiB, got " + bytes);
      }
      this.maxUploadBytes = bytes;
      return this;
    }

    public Builder workers(int workers) {
      if (workers < 1) {
        throw new InvalidInputException("workers must be >= 1, got " + workers);
      }
      this.workers = workers;
      return this;
    }

    public Builder queueSize(int size) {
      if (size < 0) {
        throw new InvalidInputException("queue size must be >= 0, got " + size);
      }
      this.queueSize = size;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    public Builder jobAfter(Duration wait) {
      if (wait.isNegative()) {
        throw new InvalidInputException("job wait must be >= 0, got " + wait);
      }
      this.jobAfter = wait;
      return this;
    }

    public Builder maxPixels(long pixels) {
      if (pixels < 1) {
        throw new InvalidInputException("max pixels must be >= 1, got " + pixels);
      }
      this.maxPixels = pixels;
      return this;
    }

    public Builder maxSide(int side) {
      if (side < 32) {
        throw new InvalidInputException("max side must be >= 32, got " + side);
      }
      this.maxSide = side;
      return this;
    }

    public Builder maxJobs(int jobs) {
      if (jobs < 1) {
        throw new InvalidInputException("max jobs must be >= 1, got " + jobs);
      }
      this.maxJobs = jobs;
      return this;
    }

    public Builder jobTtl(Duration ttl) {
      this.jobTtl = positive(ttl, "job time to live");
      return this;
    }

    /** See {@link ServerConfig#memoryBudget()}; 0 (the default) for 60% of the heap. */
    public Builder memoryBudget(long bytes) {
      if (bytes < 0) {
        throw new InvalidInputException("memory budget must be >= 0, got " + bytes);
      }
      this.memoryBudget = bytes;
      return this;
    }

    /** See {@link ServerConfig#uploadTimeout()}; 60 s by default. */
    public Builder uploadTimeout(Duration timeout) {
      this.uploadTimeout = positive(timeout, "upload timeout");
      return this;
    }

    /** See {@link ServerConfig#allowedHosts()}. */
    public Builder allowedHosts(List<String> hosts) {
      this.allowedHosts = names(hosts, "allowed host");
      return this;
    }

    /** See {@link ServerConfig#allowedOrigins()}. */
    public Builder allowedOrigins(List<String> origins) {
      this.allowedOrigins = names(origins, "allowed origin");
      return this;
    }

    Builder taskHook(Runnable hook) {
      this.taskHook = Objects.requireNonNull(hook, "hook");
      return this;
    }

    Builder checkpointHook(Runnable hook) {
      this.checkpointHook = Objects.requireNonNull(hook, "hook");
      return this;
    }

    Builder serviceTimes(ServiceTimes times) {
      this.serviceTimes = Objects.requireNonNull(times, "service times");
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(this);
    }

    private static List<String> names(List<String> values, String what) {
      for (String v : values) {
        if (v == null || v.isBlank() || v.chars().anyMatch(Character::isWhitespace)) {
          throw new InvalidInputException(what + " must be a name without spaces, got '" + v
              + "'");
        }
      }
      return List.copyOf(values);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new InvalidInputException(what + " must be > 0, got " + d);
      }
      return d;
    }
  }
}
