package org.cam4j.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cam4j.explain.Manifest;
import org.cam4j.explain.OutputFolder;
import org.cam4j.labels.Prediction;

/**
 * {@code index.html} in the output folder: one row per photo with the photo, its top classes and
 * each method's overlay (and layer strip), linking the files. Links are relative and the page
 * loads nothing from elsewhere, so it opens from disk with no server.
 */
final class ReportWriter {
  static final String FILE_NAME = "index.html";

  private final Path out;
  private final List<Row> rows = new ArrayList<>();

  /** One photo: its saved explanations (one manifest per method), or the error it failed with. */
  private record Row(Path photo, List<Manifest> methods, String error) {
  }

  ReportWriter(Path out) {
    this.out = out;
  }

  /** Adds a photo explained with the methods whose manifests (as saved) are given. */
  void add(Path photo, List<Manifest> saved) {
    rows.add(new Row(photo, List.copyOf(saved), null));
  }

  /** Adds a photo that could not be explained. */
  void addFailure(Path photo, String error) {
    rows.add(new Row(photo, List.of(), error));
  }

  /** Writes {@code index.html}: complete or not at all. */
  Path write() {
    Path target = out.resolve(FILE_NAME);
    OutputFolder.writeFile(target, html().getBytes(StandardCharsets.UTF_8));
    return target;
  }

  String html() {
    Set<String> methods = new LinkedHashSet<>();
    rows.forEach(r -> r.methods().forEach(m -> methods.add(m.method())));
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>cam4j report</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:1em;color:#222}\n")
        .append("table{border-collapse:collapse}\n")
        .append("th,td{border-top:1px solid #ccc;padding:.5em;vertical-align:top;text-align:left}\n")
        .append("img{max-width:260px;max-height:260px;display:block}\n")
        .append("img.strip{max-width:none;max-height:120px}\n")
        .append(".strip-box{max-width:520px;overflow-x:auto}\n")
        .append("ol{margin:0;padding-left:1.4em;min-width:11em}\n")
        .append(".small{font-size:.85em;color:#555}\n")
        .append(".error{color:#a00}\n</style>\n</head>\n<body>\n<h1>cam4j report</h1>\n");
    h.append("<p>").append(rows.size()).append(rows.size() == 1 ? " photo" : " photos");
    if (!methods.isEmpty()) {
      h.append(", methods: ").append(escape(String.join(", ", methods)));
    }
    h.append("</p>\n<table>\n<thead><tr><th>photo</th><th>top classes</th>");
    for (String m : methods) {
      h.append("<th>").append(escape(m)).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (Row row : rows) {
      row(h, row, methods);
    }
    h.append("</tbody>\n</table>\n</body>\n</html>\n");
    return h.toString();
  }

  private void row(StringBuilder h, Row row, Set<String> methods) {
    String name = row.photo().getFileName().toString();
    String photoLink = link(row.photo());
    h.append("<tr>\n<td><a href=\"").append(photoLink).append("\">");
    if (row.error() == null) {
      h.append("<img src=\"").append(photoLink).append("\" alt=\"").append(escape(name))
          .append("\">");
    } else {
      h.append(escape(name));
    }
    h.append("</a><div class=\"small\">").append(escape(row.photo().toString()))
        .append("</div></td>\n");
    if (row.error() != null) {
      h.append("<td class=\"error\" colspan=\"").append(1 + methods.size()).append("\">error: ")
          .append(escape(row.error())).append("</td>\n</tr>\n");
      return;
    }
    h.append("<td><ol>");
    for (Prediction p : row.methods().get(0).predictions()) {
      h.append("<li>").append(escape(p.label())).append(String.format(Locale.ROOT,
          " <span class=\"small\">%.1f%%</span></li>", 100 * p.probability()));
    }
    h.append("</ol></td>\n");
    for (String method : methods) {
      Manifest m = row.methods().stream().filter(x -> x.method().equals(method)).findFirst()
          .orElse(null);
      h.append("<td>");
      if (m != null) {
        cell(h, m, name);
      }
      h.append("</td>\n");
    }
    h.append("</tr>\n");
  }

  private static void cell(StringBuilder h, Manifest m, String photoName) {
    Map<String, String> files = m.files();
    String overlay = files.get("overlay");
    h.append("<a href=\"").append(fileLink(overlay)).append("\"><img src=\"")
        .append(fileLink(overlay)).append("\" alt=\"").append(escape(m.method() + " overlay of "
            + photoName)).append("\"></a>");
    h.append("<div class=\"small\">").append(escape(m.target().label())).append(" (")
        .append(m.target().index()).append(")");
    for (String role : List.of("heatmap", "map", "raw", "manifest")) {
      if (files.containsKey(role)) {
        h.append(" &middot; <a href=\"").append(fileLink(files.get(role))).append("\">")
            .append(role).append("</a>");
      }
    }
    h.append("</div>");
    if (files.containsKey("layers")) {
      String strip = fileLink(files.get("layers"));
      h.append("<div class=\"strip-box\"><a href=\"").append(strip)
          .append("\"><img class=\"strip\" src=\"").append(strip).append("\" alt=\"")
          .append(escape(m.method() + " per layer")).append("\"></a></div>");
      h.append("<details><summary class=\"small\">overlay per layer</summary><ol start=\"0\""
          + " class=\"small\">");
      int layer = 0;
      for (Map.Entry<String, String> f : files.entrySet()) {
        if (f.getKey().matches("layer\\d+_overlay")) {
          h.append("<li><a href=\"").append(fileLink(f.getValue())).append("\">")
              .append(escape(m.layers().get(layer++))).append("</a></li>");
        }
      }
      h.append("</ol></details>");
    }
  }

  /** A relative link to a file outside the output folder (an absolute file URI if none). */
  private String link(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    try {
      Path relative = out.toAbsolutePath().normalize().relativize(absolute);
      return escape(encode(relative.toString().replace('\\', '/')));
    } catch (IllegalArgumentException e) {
      return escape(absolute.toUri().toASCIIString());
    }
  }

  /** A link to a file written into the output folder. */
  private static String fileLink(String name) {
    return escape(encode(name));
  }

  /** A relative path percent-encoded as a URI path (spaces, #, ? and non-ASCII). */
  private static String encode(String relativePath) {
    String path = relativePath.startsWith("../") ? relativePath : "./" + relativePath;
    try {
      return new URI(null, null, path, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot encode " + relativePath, e);
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }
}
