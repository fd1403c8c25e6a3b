package org.cam4j.cli;

import org.cam4j.graph.FeatureLayout;
import picocli.CommandLine.Option;

/** The layer-layout override, spelled the same by every command that takes a layer. */
final class LayoutOptions {
  @Option(names = "--layer-layout", paramLabel = "nchw|nhwc|tokens",
      description = "How the layer holds its feature maps, when the graph does not tell:"
          + " nchw, nhwc (channels-last) or tokens [N, k+h*w, C] (default: inferred).")
  String layerLayout;

  @Option(names = "--grid", paramLabel = "HxW",
      description = "Token grid, e.g. 14x14 (with --layer-layout tokens; default: a square).")
  String grid;

  @Option(names = "--prefix-tokens", paramLabel = "K",
      description = "Class/distillation/register tokens before the grid (with --layer-layout"
          + " tokens; default: found from the token count).")
  Integer prefixTokens;

  /** The layout the options give, or null to infer it from the graph. */
  FeatureLayout layout() {
    return layerLayout == null && grid == null && prefixTokens == null ? null
        : FeatureLayout.parse(layerLayout, grid, prefixTokens);
  }
}
