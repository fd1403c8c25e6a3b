package org.cam4j.server;

import java.util.List;
import java.util.regex.Pattern;

/** The API's paths and the methods each answers, for the Allow header of a 405. */
final class Routes {
  private record Route(Pattern path, String methods) {
  }

  private static final String SEGMENT = "[^/]+";
  private static final List<Route> ROUTES = List.of(
      route("/api/health", "GET"),
      route("/api/models", "GET"),
      route("/api/models/" + SEGMENT + "/layers", "GET"),
      route("/api/models/" + SEGMENT + "/labels", "GET"),
      route("/api/classify", "POST"),
      route("/api/explain", "POST"),
      route("/api/jobs/" + SEGMENT, "GET, DELETE"));

  private Routes() {
  }

  private static Route route(String regex, String methods) {
    return new Route(Pattern.compile(regex), methods);
  }

  /** The methods {@code path} answers (e.g. {@code "GET, DELETE"}), empty for no such path. */
  static String allowed(String path) {
    return ROUTES.stream().filter(r -> r.path().matcher(path).matches()).map(Route::methods)
        .findFirst().orElse("");
  }
}
