package org.cam4j.server;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request's multipart form: the photo (part {@code image}) read into memory within the size
 * limit, and the other fields (a query parameter of the same name is taken when the form has
 * none). The upload's file name is kept only as a label ({@link Text#uploadName}); nothing of the
 * request is written to disk.
 */
final class Form {
  /** Room for the form fields and multipart framing beside the photo. */
  static final long FIELDS_ALLOWANCE = 64 * 1024;

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

  /** Reads the form; 400 when it is not multipart or has no photo, 413 when too large. */
  static Form read(Context ctx, long maxUploadBytes) {
    checkDeclaredLength(ctx, maxUploadBytes);
    if (!ctx.isMultipartFormData()) {
      throw ApiException.badRequest("send the photo as multipart/form-data, in a part named"
          + " 'image' (got Content-Type " + Text.clip(String.valueOf(ctx.contentType()), 60)
          + ")");
    }
    try {
      UploadedFile file = ctx.uploadedFile("image");
      if (file == null) {
        throw ApiException.badRequest("the form has no part named 'image' holding the photo");
      }
      if (file.size() > maxUploadBytes) {
        throw tooLarge(maxUploadBytes, file.size());
      }
      byte[] bytes;
      try (InputStream in = file.content()) {
        bytes = in.readNBytes((int) maxUploadBytes + 1);
      }
      if (bytes.length > maxUploadBytes) {
        throw tooLarge(maxUploadBytes, bytes.length);
      }
      return new Form(ctx, ctx.formParamMap(), bytes, Text.uploadName(file.filename()));
    } catch (ApiException e) {
      throw e;
    } catch (Exception e) {
      // Jetty reports a part over the limits as a (sneakily thrown) ServletException
      if (isSizeLimit(e)) {
        throw tooLarge(maxUploadBytes, -1);
      }
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

  private static boolean isSizeLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("exceed") || m.contains("too large") || m.contains("413")
          || m.contains("max length") || m.contains("maxfilesize")
          || m.contains("max file size")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) {
      t = t.getCause();
    }
    return Text.clip(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), 200);
  }
}
