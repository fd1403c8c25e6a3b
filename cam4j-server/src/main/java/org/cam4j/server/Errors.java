package org.cam4j.server;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.cam4j.CancelledException;
import org.cam4j.InvalidInputException;
import org.cam4j.ResourceUnavailableException;
import org.cam4j.UnsupportedModelException;
import org.cam4j.registry.UnknownModelException;

/**
 * Maps what the library throws to the HTTP answer, by type only: 400 invalid input (with its
 * suggestions), 404 unknown model, 422 a model that cannot be explained as asked, 503 an
 * unavailable resource or memory, 504 a timeout, and 500 for anything else (a bug): its answer
 * is generic and leaks no internal text; the server logs the cause.
 */
final class Errors {
  /** The answer to every error that is not the client's: nothing internal is shown. */
  static final String INTERNAL_MESSAGE = "internal error; the server log has the details";

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
    if (t instanceof CancellationException || t instanceof CancelledException) {
      return ApiException.busy("the request was cancelled", 5);
    }
    if (t instanceof UnknownModelException u) {
      return ApiException.notFound(u.getMessage(), u.suggestions());
    }
    if (t instanceof InvalidInputException i) {
      return ApiException.badRequest(i.getMessage(), i.suggestions());
    }
    if (t instanceof UnsupportedModelException) {
      return ApiException.unprocessable(t.getMessage());
    }
    if (t instanceof ResourceUnavailableException) {
      // the message names server-side files or URLs: logged, not answered
      return ApiException.busy("a resource the server needs is unavailable; try again later",
          30, t);
    }
    if (t instanceof OutOfMemoryError) {
      return ApiException.busy("the server ran short of memory for this request", 30);
    }
    return ApiException.internal(INTERNAL_MESSAGE, t);
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
