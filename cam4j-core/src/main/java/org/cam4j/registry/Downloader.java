package org.cam4j.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.cam4j.InvalidInputException;
import org.cam4j.ResourceUnavailableException;
import org.cam4j.internal.io.Sha256;
import org.cam4j.internal.io.StagingFolders;

/**
 * Downloads a {@link RemoteFile} so that the target path only ever holds a verified file: the
 * bytes stream into a temporary file in the target's folder while their SHA-256 is computed, and
 * only when size and hash match is it moved into place atomically. Any failure deletes the
 * temporary file. The URLs are tried in order until one delivers the right bytes.
 */
public final class Downloader {
  private static final int CHUNK = 64 * 1024;

  private final HttpClient client;
  private final Duration responseTimeout;
  private final Duration idleTimeout;
  private final boolean offline;

  private Downloader(Builder b) {
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(b.connectTimeout)
        .build();
    this.responseTimeout = b.responseTimeout;
    this.idleTimeout = b.idleTimeout;
    this.offline = b.offline;
  }

  /** Set (to anything but empty or 0) to forbid downloads, like {@code HF_HUB_OFFLINE}. */
  public static final String OFFLINE_ENV_VAR = "CAM4J_OFFLINE";

  /**
   * Connect timeout 20 s, response headers within 60 s, at most 60 s without data; offline when
   * {@value #OFFLINE_ENV_VAR} is set.
   */
  public static Downloader standard() {
    String offline = System.getenv(OFFLINE_ENV_VAR);
    return builder().offline(offline != null && !offline.isEmpty() && !offline.equals("0"))
        .build();
  }

  /** Starts a builder with the standard timeouts, online. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Fetches the file to {@code target}, creating its folder.
   *
   * @return {@code target}
   * @throws DownloadException when no URL delivered the expected bytes
   */
  public Path fetch(RemoteFile file, Path target, ProgressListener progress) {
    if (offline) {
      throw new DownloadException(file, List.of("nothing: downloads are off ("
          + OFFLINE_ENV_VAR + " is set)"));
    }
    Path dir = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ResourceUnavailableException("cannot create the download folder " + dir + ": "
          + e, e);
    }
    StagingFolders.removeStale(dir); // what downloads killed midway left
    List<String> attempts = new ArrayList<>();
    for (URI url : file.urls()) {
      try {
        fetchFrom(url, file, target, progress);
        return target;
      } catch (AttemptFailed e) {
        attempts.add(url + " (" + e.getMessage() + ")");
      }
    }
    throw new DownloadException(file, attempts);
  }

  private void fetchFrom(URI url, RemoteFile file, Path target, ProgressListener progress)
      throws AttemptFailed {
    Path staging = null;
    try {
      HttpRequest request = HttpRequest.newBuilder(url).timeout(responseTimeout)
          .header("User-Agent", "cam4j").GET().build();
      HttpResponse<InputStream> response = client.send(request,
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new AttemptFailed("HTTP " + response.statusCode());
        }
        long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced >= 0 && announced != file.bytes()) {
          throw new AttemptFailed("the server announces " + announced + " bytes, expected "
              + file.bytes());
        }
        // a staging folder named after this process: a later run removes it if this one is
        // killed midway
        staging = StagingFolders.create(target.toAbsolutePath().getParent());
        Path tmp = staging.resolve(target.getFileName());
        copyVerified(body, tmp, file, progress);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new AttemptFailed(describe(url, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResourceUnavailableException("the download of " + file.fileName()
          + " was interrupted", e);
    } finally {
      if (staging != null) {
        StagingFolders.delete(staging);
      }
    }
  }

  private void copyVerified(InputStream body, Path tmp, RemoteFile file,
      ProgressListener progress) throws IOException, AttemptFailed {
    MessageDigest sha = Sha256.newDigest();
    long done = 0;
    progress.progress(file.fileName(), 0, file.bytes());
    try (OutputStream out = Files.newOutputStream(tmp);
        IdleWatch watch = IdleWatch.start(body, idleTimeout)) {
      byte[] buf = new byte[CHUNK];
      while (true) {
        int n;
        try {
          n = body.read(buf);
        } catch (IOException e) {
          if (watch.expired()) {
            throw stalled();
          }
          throw new AttemptFailed("the connection broke after " + done + " of " + file.bytes()
              + " bytes: " + e.getMessage());
        }
        if (n < 0) {
          break;
        }
        watch.touch();
        done += n;
        if (done > file.bytes()) {
          throw new AttemptFailed("the server sent more than the expected " + file.bytes()
              + " bytes");
        }
        sha.update(buf, 0, n);
        out.write(buf, 0, n);
        progress.progress(file.fileName(), done, file.bytes());
      }
      if (watch.expired()) {
        throw stalled();
      }
    }
    if (done != file.bytes()) {
      throw new AttemptFailed("the connection ended after " + done + " of " + file.bytes()
          + " bytes");
    }
    String actual = HexFormat.of().formatHex(sha.digest());
    if (!actual.equals(file.sha256())) {
      throw new AttemptFailed("sha256 mismatch: expected " + file.sha256() + ", got " + actual
          + "; nothing was kept");
    }
  }

  private AttemptFailed stalled() {
    return new AttemptFailed("no data for " + idleTimeout.toMillis() + " ms; the transfer"
        + " stalled");
  }

  /**
   * What went wrong, for people: the HTTP client reports refused connections and unknown hosts
   * as a ConnectException without a message, the cause's type telling which.
   */
  private static String describe(URI url, IOException e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "cannot resolve host " + url.getHost() + "; offline?";
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    if (e instanceof ConnectException) {
      return "cannot connect to " + url.getAuthority() + (message == null ? "" : ": " + message);
    }
    String type = e.getClass().getSimpleName();
    return message == null ? type : type + ": " + message;
  }

  /** One URL failed; the message says how. */
  private static final class AttemptFailed extends Exception {
    AttemptFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** Timeouts of a {@link Downloader}. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(20);
    private Duration responseTimeout = Duration.ofSeconds(60);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private boolean offline;

    private Builder() {
    }

    /** Whether every fetch fails at once, without touching the network. */
    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /** How long establishing a connection may take. */
    public Builder connectTimeout(Duration d) {
      connectTimeout = positive(d, "connect timeout");
      return this;
    }

    /** How long the server may take to send the response headers. */
    public Builder responseTimeout(Duration d) {
      responseTimeout = positive(d, "response timeout");
      return this;
    }

    /** How long the body may deliver nothing before the transfer counts as stalled. */
    public Builder idleTimeout(Duration d) {
      idleTimeout = positive(d, "idle timeout");
      return this;
    }

    /** The downloader with these settings. */
    public Downloader build() {
      return new Downloader(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new InvalidInputException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
