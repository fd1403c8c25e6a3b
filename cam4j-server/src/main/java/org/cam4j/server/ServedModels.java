package org.cam4j.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cam4j.InvalidInputException;
import org.cam4j.explain.Explainer;
import org.cam4j.internal.text.EditDistance;

/**
 * The models the server offers, loaded once and shared by all requests (an {@link Explainer} is
 * thread-safe), by id. An id is the model file's name without {@code .onnx}, reduced to
 * {@code [A-Za-z0-9._-]}; clients only ever name models by id, never by path. Closing the
 * registry closes the models.
 */
public final class ServedModels implements AutoCloseable {
  private final Map<String, Explainer> models = new LinkedHashMap<>();

  /** Adds a model under an id made from its file name (made unique with -2, -3...). */
  public synchronized String add(Explainer explainer) {
    String name = explainer.modelPath().getFileName().toString();
    String stem = name.toLowerCase(Locale.ROOT).endsWith(".onnx")
        ? name.substring(0, name.length() - 5) : name;
    String base = stem.replaceAll("[^A-Za-z0-9._-]+", "_");
    if (base.isEmpty() || base.startsWith(".")) {
      base = "model" + base;
    }
    String id = base;
    for (int i = 2; models.containsKey(id); i++) {
      id = base + "-" + i;
    }
    models.put(id, explainer);
    return id;
  }

  /** Adds a model under {@code id}. */
  public synchronized void add(String id, Explainer explainer) {
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new InvalidInputException("model id must be letters, digits, '.', '_' or '-',"
          + " got '" + id + "'");
    }
    if (models.putIfAbsent(id, explainer) != null) {
      throw new InvalidInputException("model id '" + id + "' is taken");
    }
  }

  public synchronized List<String> ids() {
    return List.copyOf(models.keySet());
  }

  public synchronized boolean isEmpty() {
    return models.isEmpty();
  }

  /**
   * The model {@code id}, or the only/first one when {@code id} is null or empty; 404 with the
   * closest ids when there is no such model.
   */
  public synchronized Entry require(String id) {
    if (models.isEmpty()) {
      throw ApiException.notFound("the server has no models", List.of());
    }
    if (id == null || id.isBlank()) {
      Map.Entry<String, Explainer> first = models.entrySet().iterator().next();
      return new Entry(first.getKey(), first.getValue());
    }
    Explainer e = models.get(id);
    if (e == null) {
      List<String> ids = new ArrayList<>(models.keySet());
      List<String> closest = EditDistance.closest(ids,
          m -> EditDistance.between(id.toLowerCase(Locale.ROOT), m.toLowerCase(Locale.ROOT)), 5);
      throw ApiException.notFound("unknown model '" + Text.clip(id, 80) + "'; models: "
          + String.join(", ", closest), closest);
    }
    return new Entry(id, e);
  }

  /**
   * {@code text} with the server-side paths of the models and their labels files replaced by
   * the files' names: answers never show where the server keeps its files.
   */
  synchronized String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (Explainer e : models.values()) {
      out = replacePath(out, e.modelPath());
      String labels = e.labels().source();
      if (labels != null && (labels.contains("/") || labels.contains("\\"))) {
        out = replacePath(out, Path.of(labels));
      }
    }
    return out;
  }

  private static String replacePath(String text, Path path) {
    Path name = path.getFileName();
    if (name == null) {
      return text;
    }
    return text.replace(path.toAbsolutePath().toString(), name.toString())
        .replace(path.toString(), name.toString());
  }

  public synchronized Collection<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    models.forEach((id, e) -> out.add(new Entry(id, e)));
    return out;
  }

  @Override
  public synchronized void close() {
    models.values().forEach(Explainer::close);
    models.clear();
  }

  /** A model and its id. */
  public record Entry(String id, Explainer explainer) {
  }
}
