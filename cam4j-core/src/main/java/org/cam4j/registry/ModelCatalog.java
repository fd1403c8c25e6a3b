package org.cam4j.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cam4j.InvalidInputException;
import org.cam4j.image.Preprocessing;
import org.cam4j.image.PreprocessingException;

/**
 * The models a registry offers, in catalogue order, and which one is the default. Immutable.
 * Embedded models (packaged in a jar on the class path, see {@link EmbeddedModelProvider}) are
 * listed by name only, first; every other model is a download described by a {@link ModelEntry}.
 *
 * <p>The JSON form (see the bundled {@code models.json}): {@code default} names the default
 * model; {@code embedded} (optional) lists the names of embedded models; {@code labels} maps an
 * id to a file ({@code file}, {@code bytes}, {@code sha256}, {@code urls}); each of
 * {@code models} has {@code name}, the same file fields, and
 * {@code labels} (an id) or {@code labelsNote} (why there are none), optionally
 * {@code preprocessing} (a {@link Preprocessing#parse} spec), {@code input}, {@code output}
 * and {@code notes}.
 */
public final class ModelCatalog {
  private static final String BUNDLED = "models.json";

  private final Map<String, ModelEntry> entries;
  private final List<String> embedded;
  private final String defaultName;

  private ModelCatalog(List<ModelEntry> entries, List<String> embedded, String defaultName) {
    Map<String, ModelEntry> byName = new LinkedHashMap<>();
    for (ModelEntry e : entries) {
      if (byName.put(e.name(), e) != null) {
        throw new IllegalArgumentException("model '" + e.name() + "' is listed twice");
      }
    }
    for (String name : embedded) {
      if (byName.containsKey(name) || embedded.indexOf(name) != embedded.lastIndexOf(name)) {
        throw new IllegalArgumentException("model '" + name + "' is listed twice");
      }
    }
    if (!byName.containsKey(defaultName) && !embedded.contains(defaultName)) {
      throw new IllegalArgumentException("the default model '" + defaultName
          + "' is not in the catalogue");
    }
    this.entries = Collections.unmodifiableMap(byName);
    this.embedded = List.copyOf(embedded);
    this.defaultName = defaultName;
  }

  /** A catalogue of downloadable models only. */
  public static ModelCatalog of(List<ModelEntry> entries, String defaultName) {
    return new ModelCatalog(entries, List.of(), defaultName);
  }

  /** A catalogue of downloadable models and the names of embedded ones. */
  public static ModelCatalog of(List<ModelEntry> entries, List<String> embedded,
      String defaultName) {
    return new ModelCatalog(entries, embedded, defaultName);
  }

  /** The catalogue shipped with cam4j. */
  public static ModelCatalog bundled() {
    return Bundled.CATALOG;
  }

  /** Parses the JSON form; {@code source} names it in error messages. */
  public static ModelCatalog parse(String json, String source) {
    try {
      return fromJson(new ObjectMapper().readTree(json));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("model catalogue " + source + " is not valid JSON: "
          + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("model catalogue " + source + ": " + e.getMessage(), e);
    }
  }

  /** Model names in catalogue order: the embedded ones, then the downloadable ones. */
  public List<String> names() {
    List<String> all = new ArrayList<>(embedded);
    all.addAll(entries.keySet());
    return List.copyOf(all);
  }

  /** The names of the models packaged in a jar rather than downloaded. */
  public List<String> embeddedNames() {
    return embedded;
  }

  /** The model used when none is named; an embedded or a downloadable one. */
  public String defaultName() {
    return defaultName;
  }

  /** The download of a model; empty for unknown and for embedded names. */
  public Optional<ModelEntry> find(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** Loaded on first use. */
  private static final class Bundled {
    static final ModelCatalog CATALOG = load();

    private static ModelCatalog load() {
      try (InputStream in = ModelCatalog.class.getResourceAsStream(BUNDLED)) {
        if (in == null) {
          throw new IllegalStateException("the bundled " + BUNDLED + " is missing from the jar");
        }
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUNDLED);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the bundled " + BUNDLED, e);
      }
    }
  }

  /** Reads the JSON tree; errors are IllegalArgumentException naming the field. */
  private static ModelCatalog fromJson(JsonNode root) {
    Map<String, RemoteFile> labels = new HashMap<>();
    root.path("labels").fields().forEachRemaining(f ->
        labels.put(f.getKey(), file(f.getValue(), "labels '" + f.getKey() + "'")));
    List<ModelEntry> models = new ArrayList<>();
    JsonNode list = root.path("models");
    if (!list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException("'models' must be a non-empty array");
    }
    for (JsonNode m : list) {
      models.add(entry(m, labels));
    }
    List<String> embedded = new ArrayList<>();
    for (JsonNode name : root.path("embedded")) {
      if (!name.isTextual()) {
        throw new IllegalArgumentException("'embedded' must list model names");
      }
      embedded.add(name.asText());
    }
    return new ModelCatalog(models, embedded, text(root, "default", "the catalogue"));
  }

  private static ModelEntry entry(JsonNode m, Map<String, RemoteFile> labels) {
    String name = text(m, "name", "a model");
    String where = "model '" + name + "'";
    ModelEntry.Builder b = ModelEntry.builder(name, file(m, where));
    if (m.hasNonNull("labels")) {
      String id = text(m, "labels", where);
      RemoteFile l = labels.get(id);
      if (l == null) {
        throw new IllegalArgumentException(where + ": no labels '" + id + "' in 'labels'");
      }
      b.labels(l);
    }
    if (m.hasNonNull("labelsNote")) {
      b.labelsNote(text(m, "labelsNote", where));
    }
    if (m.hasNonNull("preprocessing")) {
      try {
        b.preprocessing(Preprocessing.parse(text(m, "preprocessing", where)));
      } catch (PreprocessingException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    b.input(m.path("input").asText("")).output(m.path("output").asText(""))
        .notes(m.path("notes").asText(""));
    return b.build();
  }

  private static RemoteFile file(JsonNode n, String where) {
    JsonNode bytes = n.path("bytes");
    if (!bytes.canConvertToLong()) {
      throw new IllegalArgumentException(where + ": 'bytes' must be an integer");
    }
    List<URI> urls = new ArrayList<>();
    for (JsonNode u : n.path("urls")) {
      try {
        urls.add(new URI(u.asText()));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(where + ": bad URL " + u.asText() + ": "
            + e.getMessage(), e);
      }
    }
    try {
      return new RemoteFile(text(n, "file", where), bytes.asLong(), text(n, "sha256", where),
          urls);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + " has no text field '" + field + "'");
    }
    return v.asText();
  }
}
