package org.cam4j.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** An HTTP server on 127.0.0.1 with canned behaviours per path; counts requests per path. */
final class LocalServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);

  LocalServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.start();
  }

  /** Serves the bytes with a Content-Length. */
  LocalServer serve(String path, byte[] bytes) {
    return handle(path, ex -> {
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    });
  }

  LocalServer notFound(String path) {
    return handle(path, ex -> {
      ex.sendResponseHeaders(404, -1);
      ex.close();
    });
  }

  /** Announces all the bytes, sends only the first {@code sent}, then hangs up. */
  LocalServer truncated(String path, byte[] bytes, int sent) {
    return handle(path, ex -> {
      ex.sendResponseHeaders(200, bytes.length);
      OutputStream out = ex.getResponseBody();
      out.write(bytes, 0, sent);
      out.flush();
      // a handler that throws makes the server close the connection; closing the stream
      // instead would keep it open for the client to wait on
      throw new IOException("hanging up on purpose");
    });
  }

  /** Chunked (no Content-Length): the first {@code sent} bytes, then a clean end. */
  LocalServer chunkedPrefix(String path, byte[] bytes, int sent) {
    return handle(path, ex -> {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes, 0, sent);
      }
    });
  }

  /** Sends the first {@code sent} bytes, then nothing until the server is closed. */
  LocalServer stalling(String path, byte[] bytes, int sent) {
    return handle(path, ex -> {
      ex.sendResponseHeaders(200, bytes.length);
      OutputStream out = ex.getResponseBody();
      out.write(bytes, 0, sent);
      out.flush();
      try {
        release.await(); // until close(): the client must give up first, however slow it is
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  int requests(String path) {
    return requests.getOrDefault(path, new AtomicInteger()).get();
  }

  /** A URL on a port nothing listens on (bound, then released). */
  static URI closedPort(String path) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private LocalServer handle(String path, Handler h) {
    server.createContext(path, ex -> {
      requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
      h.handle(ex);
    });
    return this;
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private interface Handler {
    void handle(HttpExchange ex) throws IOException;
  }
}
