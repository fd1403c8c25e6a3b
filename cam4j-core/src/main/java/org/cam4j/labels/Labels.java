package org.cam4j.labels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cam4j.internal.text.EditDistance;

/**
 * The class names of a classifier, index {@code i} naming output {@code i}. Immutable.
 *
 * <p>{@link #load} reads three forms: plain text (one label per line), {@code synset.txt}
 * ({@code n01440764 tench, Tinca tinca} per line: WordNet id, space, name) and JSON, either the
 * Keras {@code imagenet_class_index.json} ({@code {"0": ["n01440764", "tench"], ...}}), an object
 * of names ({@code {"0": "tench", ...}}) or an array of names.
 */
public final class Labels {
  private static final Pattern SYNSET_LINE = Pattern.compile("(n\\d{8})\\s+(\\S.*)");
  private static final String BACKGROUND = "background";

  private final List<Label> labels;
  private final String source;

  private Labels(List<Label> labels, String source) {
    this.labels = List.copyOf(labels);
    this.source = source;
  }

  /** Reads a labels file; the form is told by a {@code .json} name or content, or by its lines. */
  public static Labels load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new LabelsException("labels file not found: " + file, e);
    } catch (IOException e) {
      throw new LabelsException("cannot read labels file " + file + ": " + e.getMessage(), e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String trimmed = text.stripLeading();
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
        || trimmed.startsWith("{") || trimmed.startsWith("[");
    return json ? fromJson(text, file.toString()) : fromLines(text, file.toString());
  }

  /** Labels named {@code names.get(i)} for class {@code i}, without WordNet ids. */
  public static Labels of(List<String> names, String source) {
    List<Label> labels = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      labels.add(new Label(i, null, names.get(i)));
    }
    return new Labels(labels, source);
  }

  /** Placeholder names {@code class 0}, {@code class 1}, ... for a model without a labels file. */
  public static Labels fallback(int classes) {
    List<String> names = new ArrayList<>(classes);
    for (int i = 0; i < classes; i++) {
      names.add("class " + i);
    }
    return of(names, "placeholder names");
  }

  private static Labels fromLines(String text, String source) {
    List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      throw new LabelsException("labels file " + source + " is empty");
    }
    boolean synset = lines.stream().allMatch(l -> SYNSET_LINE.matcher(l.strip()).matches());
    List<Label> labels = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        throw new LabelsException("labels file " + source + ": line " + (i + 1)
            + " is empty; every line must name one class");
      }
      if (synset) {
        Matcher m = SYNSET_LINE.matcher(line);
        m.matches();
        labels.add(new Label(i, m.group(1), m.group(2).strip()));
      } else {
        labels.add(new Label(i, null, line));
      }
    }
    return new Labels(labels, source);
  }

  private static Labels fromJson(String text, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new LabelsException("labels file " + source + " is not valid JSON: "
          + e.getOriginalMessage(), e);
    }
    List<Label> labels = new ArrayList<>();
    if (root != null && root.isArray()) {
      for (int i = 0; i < root.size(); i++) {
        labels.add(jsonLabel(i, root.get(i), source));
      }
    } else if (root != null && root.isObject()) {
      JsonNode[] byIndex = new JsonNode[root.size()];
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int index = jsonIndex(e.getKey(), byIndex.length, source);
        if (byIndex[index] != null) {
          throw new LabelsException("labels file " + source + ": index " + index
              + " appears twice");
        }
        byIndex[index] = e.getValue();
      }
      for (int i = 0; i < byIndex.length; i++) {
        labels.add(jsonLabel(i, byIndex[i], source));
      }
    } else {
      throw new LabelsException("labels file " + source + " must hold a JSON object"
          + " {\"0\": [\"n01440764\", \"tench\"], ...} or {\"0\": \"tench\", ...}, or an array of"
          + " names");
    }
    if (labels.isEmpty()) {
      throw new LabelsException("labels file " + source + " is empty");
    }
    return new Labels(labels, source);
  }

  private static int jsonIndex(String key, int count, String source) {
    try {
      int index = Integer.parseInt(key.trim());
      if (index >= 0 && index < count) {
        return index;
      }
    } catch (NumberFormatException e) {
      throw new LabelsException("labels file " + source + ": key \"" + key
          + "\" is not a class index", e);
    }
    throw new LabelsException("labels file " + source + ": key \"" + key + "\" is outside 0.."
        + (count - 1) + "; the indexes must run from 0 without gaps");
  }

  private static Label jsonLabel(int index, JsonNode value, String source) {
    if (value.isTextual()) {
      return new Label(index, null, value.asText());
    }
    if (value.isArray() && value.size() == 2 && value.get(0).isTextual()
        && value.get(1).isTextual()) {
      return new Label(index, value.get(0).asText(), value.get(1).asText());
    }
    throw new LabelsException("labels file " + source + ": entry " + index + " is " + value
        + "; expected a name or [wnid, name]");
  }

  /**
   * These labels fitted to a model with {@code classes} outputs: unchanged when the counts agree;
   * with one class more, the model's index 0 is {@code background} and label {@code i - 1} names
   * output {@code i} (TF-slim/TFLite ImageNet models, 1001 classes); with one label more and a
   * leading {@code background} label, that label is dropped.
   */
  public Labels alignTo(int classes) {
    int n = labels.size();
    if (n == classes) {
      return this;
    }
    if (n == classes - 1 && !isBackground(labels.get(0))) {
      List<Label> shifted = new ArrayList<>(classes);
      shifted.add(new Label(0, null, BACKGROUND));
      for (Label l : labels) {
        shifted.add(new Label(l.index() + 1, l.wnid(), l.name()));
      }
      return new Labels(shifted, source);
    }
    if (n == classes + 1 && isBackground(labels.get(0))) {
      List<Label> dropped = new ArrayList<>(classes);
      for (Label l : labels.subList(1, n)) {
        dropped.add(new Label(l.index() - 1, l.wnid(), l.name()));
      }
      return new Labels(dropped, source);
    }
    throw new LabelsException("the labels (" + source + ") name " + n + " classes but the model"
        + " has " + classes + " outputs; give a labels file with " + classes + " entries (or "
        + (classes - 1) + " when output 0 is background)");
  }

  private static boolean isBackground(Label label) {
    return label.shortName().equalsIgnoreCase(BACKGROUND);
  }

  /** The number of classes these labels name. */
  public int size() {
    return labels.size();
  }

  /** The label of output {@code index}. */
  public Label get(int index) {
    if (index < 0 || index >= labels.size()) {
      throw new IndexOutOfBoundsException("class " + index + " is outside the " + labels.size()
          + " labels of " + source);
    }
    return labels.get(index);
  }

  /**
   * The class a user names: by WordNet id, by its whole name or any of its comma-separated
   * synonyms (case-insensitive), else by the only name containing the query. Fails with the
   * candidates when the query is ambiguous, or with the closest names when nothing matches.
   */
  public Label find(String query) {
    String q = query.trim().toLowerCase(Locale.ROOT);
    for (Label l : labels) {
      if (q.equals(lower(l.wnid())) || q.equals(lower(l.name())) || synonyms(l).contains(q)) {
        return l;
      }
    }
    List<Label> containing = containing(q);
    if (containing.size() == 1) {
      return containing.get(0);
    }
    if (containing.size() > 1) {
      throw new LabelsException("class '" + query + "' is ambiguous: it matches " + describe(
          containing.subList(0, Math.min(8, containing.size())))
          + (containing.size() > 8 ? " and " + (containing.size() - 8) + " more" : "")
          + "; give the full name or the index");
    }
    List<Label> closest = suggestions(query);
    throw new LabelsException("no class named '" + query + "' in " + source + "; closest: "
        + describe(closest), closest.stream().map(Label::name).toList());
  }

  /**
   * Candidates for a query {@link #find} cannot settle: up to 8 classes whose names contain it
   * when several do, else the 5 whose name or a synonym is closest in edit distance.
   */
  public List<Label> suggestions(String query) {
    String q = query.trim().toLowerCase(Locale.ROOT);
    List<Label> containing = containing(q);
    if (containing.size() > 1) {
      return containing.subList(0, Math.min(8, containing.size()));
    }
    return EditDistance.closest(labels,
        l -> synonyms(l).stream().mapToInt(s -> EditDistance.between(q, s)).min().orElseThrow(), 5);
  }

  private List<Label> containing(String lowerQuery) {
    return labels.stream().filter(l -> lower(l.name()).contains(lowerQuery)).toList();
  }

  private static List<String> synonyms(Label l) {
    return java.util.Arrays.stream(l.name().split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
        .toList();
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static String describe(List<Label> ls) {
    return String.join(", ", ls.stream().map(l -> l.index() + " '" + l.shortName() + "'").toList());
  }

  /** All labels, by index; unmodifiable. */
  public List<Label> asList() {
    return labels;
  }

  /** Where the labels came from (a file path), for messages. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "Labels[" + labels.size() + " from " + source + "]";
  }
}
