package org.cam4j.server;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.cam4j.Cam4jException;
import org.cam4j.graph.UnknownLayerException;
import org.cam4j.image.ImageLoadException;
import org.cam4j.labels.LabelsException;
import org.cam4j.method.Methods;

/** Maps what the library throws to the HTTP answer. */
final class Errors {
  private Errors() {
  }

  static ApiException toApi(Throwable e) {
    Throwable t = unwrap(e);
    if (t instanceof ApiException api) {
      return api;
    }
    if (t instanceof TimeoutException) {
      return ApiException.timeout("the request took longer than the server's timeout");
    }
    if (t instanceof CancellationException) {
      return ApiException.busy("the request was cancelled (server shutting down)", 5);
    }
    if (t instanceof ImageLoadException) {
      return ApiException.badRequest(t.getMessage());
    }
    if (t instanceof UnknownLayerException u) {
      return ApiException.badRequest(u.getMessage(), u.suggestions());
    }
    if (t instanceof LabelsException) {
      return ApiException.badRequest(t.getMessage());
    }
    if (t instanceof Cam4jException && t.getMessage() != null
        && t.getMessage().startsWith("unknown method")) {
      return ApiException.badRequest(t.getMessage(), Methods.names());
    }
    if (t instanceof IllegalArgumentException) {
      return ApiException.badRequest(t.getMessage());
    }
    if (t instanceof Cam4jException) {
      // the model or layer cannot be explained this way (e.g. an operator without a gradient)
      return new ApiException(422, t.getMessage(), List.of());
    }
    if (t instanceof OutOfMemoryError) {
      return ApiException.busy("the server ran short of memory for this request", 30);
    }
    return ApiException.internal("internal error: " + t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + t.getMessage()), t);
  }

  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
