package org.cam4j.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cam4j.InvalidInputException;
import org.cam4j.explain.ExplainOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Target;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.graph.UnknownLayerException;
import org.cam4j.labels.Label;
import org.cam4j.labels.Labels;
import org.cam4j.labels.LabelsException;
import org.cam4j.method.Methods;
import org.cam4j.render.Colormap;
import org.cam4j.render.Overlay;

/**
 * The fields of an explain (or classify) request, checked against the model before any work is
 * queued: an unknown method, layer, class or colormap is a 400 with the closest names, and so is
 * a layer given to a method that explains the input rather than a layer.
 *
 * @param options the options of every method asked for: {@code method}, or each of the
 *     comma-separated {@code methods} (a comparison, explained from one shared run), in the
 *     order given
 * @param async answer 202 with a job id at once instead of waiting
 * @param tileHeight height of each tile of the layer strip (with allLayers)
 */
record ExplainRequest(ExplainOptions options, boolean async, int tileHeight) {
  static final int MAX_LAYERS = 8;
  static final int MAX_METHODS = 6;
  static final int MAX_TOP = 20;
  /** Prefix tokens (class, distillation, register tokens): far more than any model has. */
  static final int MAX_PREFIX_TOKENS = 1024;
  /** The values of {@code layerLayout}. */
  static final List<String> LAYOUTS = List.of("nchw", "nhwc", "tokens");

  static ExplainRequest parse(Form form, Explainer model) {
    List<String> methods = methods(form.param("methods", form.param("method", "gradcam")));
    boolean allLayers = form.flag("allLayers") && methods.size() == 1;
    String layerField = form.param("layer", "auto");
    FeatureLayout layout = layout(form);
    // in a comparison the layer is for its layer methods; it is wrong only when none takes one
    if (methods.stream().noneMatch(m -> Methods.byName(m).usesLayer())
        && (allLayers || !layerField.equalsIgnoreCase("auto") || layout != null)) {
      String which = methods.size() == 1 ? "method '" + methods.get(0) + "' explains"
          : "methods '" + String.join(", ", methods) + "' explain";
      throw ApiException.badRequest(which + " the input pixels, not a layer: leave out 'layer',"
          + " 'allLayers', 'layerLayout', 'grid' and 'prefixTokens' (methods with layers: "
          + String.join(", ", layerMethods()) + ")", layerMethods());
    }
    List<String> layers = allLayers ? List.of("auto") : layers(layerField, model);
    if (layout != null) {
      LayerCatalog catalog = model.model().layers();
      checkFits(layout, allLayers ? catalog.blockOutputs()
          : layers.stream().map(catalog::resolve).toList());
    }
    Target target = target(form.param("class", "top"), model.labels());
    Overlay overlay = Overlay.builder().colormap(colormap(form.param("colormap", "jet")))
        .alpha(form.number("alpha", 0.4, 0, 1)).build();
    int top = form.integer("top", 5, 1, Math.min(MAX_TOP, model.labels().size()));
    ExplainOptions options = ExplainOptions.builder().methodNames(methods).layers(layers)
        .allLayers(allLayers).target(target).overlay(overlay).topK(top).layerLayout(layout)
        .build();
    return new ExplainRequest(options, form.flag("async"), 160);
  }

  /** Whether several methods are compared. */
  boolean comparison() {
    return options.methods().size() > 1;
  }

  /**
   * The kind of task for admission: the method's name, or {@code comparison} for every
   * comparison (a kind per set of methods would grow the server's state without bound).
   */
  String kind() {
    return comparison() ? "comparison" : options.methods().get(0).name();
  }

  /** Comma-separated method names, each known, none twice, at most {@link #MAX_METHODS}. */
  static List<String> methods(String field) {
    List<String> names = Arrays.stream(field.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty()).distinct().toList();
    if (names.isEmpty()) {
      names = List.of("gradcam");
    }
    if (names.size() > MAX_METHODS) {
      throw ApiException.badRequest("at most " + MAX_METHODS + " methods at once (got "
          + names.size() + ")");
    }
    for (String method : names) {
      if (!Methods.names().contains(method)) {
        throw ApiException.badRequest("unknown method '" + Text.clip(method, 60)
            + "'; available: " + String.join(", ", Methods.names()), Methods.names());
      }
    }
    return names;
  }

  /** The methods that explain a layer (the others explain the input pixels). */
  static List<String> layerMethods() {
    return Methods.names().stream().filter(n -> Methods.byName(n).usesLayer()).toList();
  }

  /** The methods that explain the input pixels and take no layer. */
  static List<String> inputMethods() {
    return Methods.names().stream().filter(n -> !Methods.byName(n).usesLayer()).toList();
  }

  static List<String> layers(String field, Explainer model) {
    List<String> queries = Arrays.stream(field.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
    if (queries.isEmpty()) {
      queries = List.of("auto");
    }
    if (queries.size() > MAX_LAYERS) {
      throw ApiException.badRequest("at most " + MAX_LAYERS + " layers at once (got "
          + queries.size() + "); use allLayers=true for every block output");
    }
    LayerCatalog catalog = model.model().layers();
    List<String> names = new ArrayList<>();
    for (String q : queries) {
      try {
        names.add(catalog.resolve(q).name());
      } catch (UnknownLayerException e) {
        throw ApiException.badRequest("unknown layer '" + Text.clip(q, 120) + "'; closest: "
            + String.join(", ", e.suggestions()), e.suggestions());
      }
    }
    return names;
  }

  /**
   * The layer layout override, as the CLI's {@code --layer-layout}, {@code --grid} and
   * {@code --prefix-tokens}: {@code layerLayout} nchw, nhwc or tokens, and for tokens
   * {@code grid} (HxW) and {@code prefixTokens}; a grid or prefix count alone means tokens. Null
   * when none is given (the layout is inferred from the graph).
   */
  static FeatureLayout layout(Form form) {
    String kind = form.param("layerLayout");
    String grid = form.param("grid");
    Integer prefix = form.param("prefixTokens") == null ? null
        : form.integer("prefixTokens", 0, 0, MAX_PREFIX_TOKENS);
    if (kind == null && grid == null && prefix == null) {
      return null;
    }
    if (kind != null && !LAYOUTS.contains(kind.toLowerCase(Locale.ROOT))) {
      throw ApiException.badRequest("unknown layerLayout '" + Text.clip(kind, 40)
          + "'; available: " + String.join(", ", LAYOUTS), LAYOUTS);
    }
    try {
      return FeatureLayout.parse(kind, grid, prefix);
    } catch (InvalidInputException e) {
      throw ApiException.badRequest(Text.clip(e.getMessage(), 200)
          .replace("--grid", "'grid'").replace("--prefix-tokens", "'prefixTokens'"));
    }
  }

  /** Each layer's shape must hold the override (e.g. a token grid needs a 3-D tensor of k+h·w). */
  static void checkFits(FeatureLayout layout, List<LayerCatalog.Layer> layers) {
    for (LayerCatalog.Layer l : layers) {
      try {
        layout.resolve(l.shape());
      } catch (InvalidInputException e) {
        throw ApiException.badRequest("layer '" + Text.clip(l.name(), 120) + "' "
            + Arrays.toString(l.shape()) + " is not " + layout + ": " + e.getMessage());
      }
    }
  }

  /** {@code top}, an index or a class name, checked against the labels. */
  static Target target(String field, Labels labels) {
    Target choice;
    try {
      choice = Target.parse(field);
      choice.resolve(labels);
    } catch (LabelsException e) {
      throw ApiException.badRequest(withoutFolders(e.getMessage(), labels.source()),
          closestClasses(field, labels));
    } catch (InvalidInputException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    return choice;
  }

  /** The message with the labels' server path cut to its file name: clients see no folders. */
  static String withoutFolders(String message, String source) {
    if (source == null || message == null) {
      return message;
    }
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return slash < 0 ? message : message.replace(source, source.substring(slash + 1));
  }

  static Colormap colormap(String field) {
    try {
      return Colormap.parse(field);
    } catch (InvalidInputException e) {
      throw ApiException.badRequest("unknown colormap '" + Text.clip(field, 40) + "'; available: "
          + String.join(", ", Colormap.names()), Colormap.names());
    }
  }

  /** Class names for a query that matched none or several (see {@link Labels#suggestions}). */
  static List<String> closestClasses(String query, Labels labels) {
    return labels.suggestions(query).stream().map(Label::shortName).distinct().toList();
  }
}
