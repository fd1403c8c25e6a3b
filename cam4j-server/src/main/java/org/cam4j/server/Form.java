package org.cam4j.server;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/**
 * A request's multipart form: the photo (part {@code image}) read into memory within the size
 * limit, and the other fields (a query parameter of the same name is taken when the form has
 * none). The upload's file name is kept only as a label ({@link Text#uploadName}); nothing of the
 * request is written to disk.
 */
final class Form {
  /** Room for the form fields and multipart framing beside the photo. */
  static final long FIELDS_ALLOWANCE = 64 * 1024;
  /** The form has a photo and a few fields; more parts are refused. */
  private static final int MAX_PARTS = 32;

  private final Context ctx;
  private final Map<String, List<String>> fields;
  private final byte[] image;
  private final String imageName;

  private Form(Context ctx, Map<String, List<String>> fields, byte[] image, String imageName) {
    this.ctx = ctx;
    this.fields = fields;
    this.image = image;
    this.imageName = imageName;
  }

  /** 413 when the declared body is over the limit; checked before anything is read. */
  static void checkDeclaredLength(Context ctx, long maxUploadBytes) {
    long length = ctx.req().getContentLengthLong();
    if (length > maxUploadBytes + FIELDS_ALLOWANCE) {
      throw tooLarge(maxUploadBytes, length);
    }
  }

  /**
   * Reads the whole body within the upload timeout, then the form: 400 when it is not multipart
   * or has no photo, 413 when too large, 408 when the body arrives too slowly.
   */
  static Form read(Context ctx, ServerConfig config) {
    long maxUploadBytes = config.maxUploadBytes();
    checkDeclaredLength(ctx, maxUploadBytes);
    String boundary = ctx.isMultipartFormData()
        ? MultiPart.extractBoundary(ctx.contentType()) : null;
    if (boundary == null) {
      throw ApiException.badRequest("send the photo as multipart/form-data, in a part named"
          + " 'image' (got Content-Type " + Text.clip(String.valueOf(ctx.contentType()), 60)
          + ")");
    }
    byte[] body = readBody(ctx, maxUploadBytes, config.uploadTimeout());
    MultiPartFormData.Parts parts;
    try {
      MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
      // the body is in memory already: parts stay there, never spilled to files
      parser.setMaxMemoryFileSize(body.length + 1L);
      parser.setUseFilesForPartsWithoutFileName(false);
      parser.setMaxParts(MAX_PARTS);
      parts = parser.parse(Content.Source.from(ByteBuffer.wrap(body))).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.busy("the server is shutting down", 5);
    } catch (ExecutionException | RuntimeException e) {
      throw ApiException.badRequest("malformed multipart form: " + describe(e));
    }
    try (parts) {
      MultiPart.Part file = parts.getFirst("image");
      if (file == null) {
        throw ApiException.badRequest("the form has no part named 'image' holding the photo");
      }
      byte[] bytes = contentOf(file);
      if (bytes.length > maxUploadBytes) {
        throw tooLarge(maxUploadBytes, bytes.length);
      }
      Map<String, List<String>> fields = new HashMap<>();
      for (MultiPart.Part p : parts) {
        if (p.getFileName() == null && p.getName() != null) {
          fields.computeIfAbsent(p.getName(), k -> new ArrayList<>())
              .add(p.getContentAsString(StandardCharsets.UTF_8));
        }
      }
      return new Form(ctx, fields, bytes, Text.uploadName(file.getFileName()));
    }
  }

  /**
   * The request body, at most {@code maxUploadBytes} plus the fields' allowance (else 413), read
   * within {@code timeout} of the first read (else 408: a client that trickles bytes does not
   * hold its connection past it; one that stalls is cut off by the connection's idle timeout).
   */
  private static byte[] readBody(Context ctx, long maxUploadBytes, Duration timeout) {
    long limit = maxUploadBytes + FIELDS_ALLOWANCE;
    long deadline = System.nanoTime() + timeout.toNanos();
    long declared = ctx.req().getContentLengthLong();
    ByteArrayOutputStream out = new ByteArrayOutputStream(
        (int) Math.min(limit, declared > 0 ? declared : 64 * 1024));
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = ctx.req().getInputStream();
      for (int n; (n = in.read(buffer)) >= 0;) {
        out.write(buffer, 0, n);
        if (out.size() > limit) {
          throw tooLarge(maxUploadBytes, -1);
        }
        if (System.nanoTime() - deadline > 0) {
          throw ApiException.uploadTimeout("the upload took longer than "
              + timeout.toSeconds() + " s; send it faster or in a smaller file");
        }
      }
    } catch (IOException e) {
      throw ApiException.badRequest("the upload broke off: " + describe(e));
    }
    return out.toByteArray();
  }

  private static byte[] contentOf(MultiPart.Part part) {
    try {
      ByteBuffer b = Content.Source.asByteBuffer(part.getContentSource());
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw ApiException.badRequest("malformed multipart form: " + describe(e));
    }
  }

  byte[] image() {
    return image;
  }

  /** The photo's label for manifests and messages (never a path). */
  String imageName() {
    return imageName;
  }

  /** A field, or the query parameter, or null; whitespace trimmed, at most 1000 characters. */
  String param(String name) {
    List<String> values = fields.get(name);
    String v = values != null && !values.isEmpty() ? values.get(0) : ctx.queryParam(name);
    if (v == null) {
      return null;
    }
    v = v.trim();
    if (v.length() > 1000) {
      throw ApiException.badRequest("field '" + name + "' is too long (" + v.length()
          + " characters, at most 1000)");
    }
    return v.isEmpty() ? null : v;
  }

  String param(String name, String fallback) {
    String v = param(name);
    return v == null ? fallback : v;
  }

  boolean flag(String name) {
    String v = param(name);
    if (v == null) {
      return false;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw ApiException.badRequest("field '" + name + "' must be true or false, got '"
          + Text.clip(v, 40) + "'");
    };
  }

  int integer(String name, int fallback, int min, int max) {
    String v = param(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("field '" + name + "' must be an integer in " + min + ".."
          + max + ", got '" + Text.clip(v, 40) + "'");
    }
  }

  double number(String name, double fallback, double min, double max) {
    String v = param(name);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (!(d >= min && d <= max)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("field '" + name + "' must be a number in " + min + ".."
          + max + ", got '" + Text.clip(v, 40) + "'");
    }
  }

  private static ApiException tooLarge(long max, long got) {
    return ApiException.tooLarge("the upload is too large" + (got > 0 ? " (" + got + " bytes)" : "")
        + "; the limit is " + max + " bytes (" + String.format(Locale.ROOT, "%.1f MiB",
        max / 1048576.0) + ")");
  }

  /**
   * Reads and drops what is left of a refused body (up to {@code limit} bytes), so the client,
   * still sending, receives the error instead of a reset connection.
   */
  static void drain(Context ctx, long limit) {
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n; total < limit && (n = in.read(buffer)) >= 0;) {
        total += n;
      }
    } catch (Exception | Error ignored) {
      // the connection is closed after the answer anyway
    }
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) {
      t = t.getCause();
    }
    return Text.clip(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), 200);
  }
}
