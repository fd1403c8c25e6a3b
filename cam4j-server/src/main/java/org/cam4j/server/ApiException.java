package org.cam4j.server;

import java.util.List;

/**
 * A request failed in a way the client can act on: an HTTP status, a message and, where a name
 * was not found, the closest names. Answered as {@code {"error": ..., "suggestions": [...]}}.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final List<String> suggestions;
  private final long retryAfterSeconds;

  public ApiException(int status, String message, List<String> suggestions) {
    this(status, message, suggestions, 0, null);
  }

  private ApiException(int status, String message, List<String> suggestions,
      long retryAfterSeconds, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.suggestions = List.copyOf(suggestions);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message, List.of());
  }

  public static ApiException badRequest(String message, List<String> suggestions) {
    return new ApiException(400, message, suggestions);
  }

  /** 403: the request's Host or Origin is not one the server accepts. */
  public static ApiException forbidden(String message) {
    return new ApiException(403, message, List.of());
  }

  /** 408: the request body did not arrive within the upload timeout. */
  public static ApiException uploadTimeout(String message) {
    return new ApiException(408, message, List.of());
  }

  public static ApiException notFound(String message, List<String> suggestions) {
    return new ApiException(404, message, suggestions);
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(413, message, List.of());
  }

  /** 422: the request is well formed but the model cannot be explained as asked. */
  public static ApiException unprocessable(String message) {
    return new ApiException(422, message, List.of());
  }

  /** 503 with a Retry-After header. */
  public static ApiException busy(String message, long retryAfterSeconds) {
    return busy(message, retryAfterSeconds, null);
  }

  /** 503 with a Retry-After header, keeping the failure that caused it for the log. */
  static ApiException busy(String message, long retryAfterSeconds, Throwable cause) {
    return new ApiException(503, message, List.of(), Math.max(1, retryAfterSeconds), cause);
  }

  public static ApiException timeout(String message) {
    return new ApiException(504, message, List.of());
  }

  public static ApiException internal(String message, Throwable cause) {
    return new ApiException(500, message, List.of(), 0, cause);
  }

  /** The same error with its message and suggestions passed through {@code edit}. */
  ApiException redacted(java.util.function.UnaryOperator<String> edit) {
    ApiException copy = new ApiException(status, edit.apply(getMessage()),
        suggestions.stream().map(edit).toList(), retryAfterSeconds, getCause());
    copy.setStackTrace(getStackTrace());
    return copy;
  }

  public int status() {
    return status;
  }

  public List<String> suggestions() {
    return suggestions;
  }

  /** Seconds for the Retry-After header, 0 when there is none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
