package org.cam4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cam4j.Cam4jException;
import org.cam4j.InvalidInputException;
import org.cam4j.explain.Classification;
import org.cam4j.explain.Explainer;
import org.cam4j.labels.Prediction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Top-k predictions for photos. */
@Command(name = "classify", mixinStandardHelpOptions = true,
    description = "Print the top classes of each photo.")
final class ClassifyCommand implements Callable<Integer> {
  @Mixin
  ModelOptions modelOptions = new ModelOptions();

  @Option(names = "--top", paramLabel = "K", defaultValue = "5",
      description = "How many classes to print (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--json", description = "Print JSON: {\"results\":[{\"image\",\"predictions\"}]}.")
  boolean json;

  @Option(names = {"-r", "--recursive"}, description = "Also search the folders' subfolders.")
  boolean recursive;

  @Parameters(paramLabel = "IMAGE|DIR", arity = "1..*",
      description = "Photos (JPEG, PNG, BMP, GIF, WebP) or folders of photos.")
  List<Path> images;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (top < 1) {
      throw new InvalidInputException("--top must be >= 1, got " + top);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files = ImageArguments.expand(images, recursive);
    ArrayNode results = JsonOutput.MAPPER.createArrayNode();
    int failed = 0;
    try (Explainer explainer = modelOptions.explainer(err)) {
      Progress progress = new Progress(err, files.size());
      for (Path file : files) {
        progress.start(file.getFileName().toString());
        try {
          Classification c = explainer.classify(file, top);
          if (json) {
            results.add(toJson(c));
          } else {
            progress.clear();
            printText(out, c);
          }
        } catch (Cam4jException e) {
          failed++;
          progress.note("cam4j: error: " + e.getMessage());
          if (json) {
            results.addObject().put("image", file.toString()).put("error", e.getMessage());
          }
        }
      }
      progress.clear();
    }
    if (json) {
      ObjectNode root = JsonOutput.MAPPER.createObjectNode();
      root.set("results", results);
      out.println(root.toPrettyString());
    }
    out.flush();
    return failed == 0 ? 0 : ErrorReporter.INPUT;
  }

  static ObjectNode toJson(Classification c) {
    ObjectNode r = JsonOutput.MAPPER.createObjectNode();
    r.put("image", c.source());
    ArrayNode ps = r.putArray("predictions");
    for (Prediction p : c.predictions()) {
      ps.add(toJson(p));
    }
    return r;
  }

  static ObjectNode toJson(Prediction p) {
    ObjectNode o = JsonOutput.MAPPER.createObjectNode();
    o.put("index", p.index());
    o.put("label", p.label());
    if (p.wnid() != null) {
      o.put("wnid", p.wnid());
    }
    o.put("probability", p.probability());
    o.put("logit", p.logit());
    return o;
  }

  private static void printText(PrintWriter out, Classification c) {
    out.println(c.source());
    int rank = 1;
    for (Prediction p : c.predictions()) {
      out.printf(Locale.ROOT, "  %d. %-5d %-28s %6.2f%%%s%n", rank++, p.index(), p.label(),
          100 * p.probability(), p.wnid() == null ? "" : "  " + p.wnid());
    }
  }
}
