package org.cam4j.bench;

import java.util.List;
import org.cam4j.graph.LayerCatalog;

/**
 * The layers the bench explains: the default (last) one, the first and the middle block output,
 * and all block outputs at once.
 */
record LayerChoice(String defaultLayer, String firstBlock, String middleBlock,
    List<String> blocks) {

  static LayerChoice of(LayerCatalog catalog) {
    List<String> blocks = catalog.blockOutputs().stream().map(LayerCatalog.Layer::name).toList();
    return new LayerChoice(catalog.defaultLayer().name(), blocks.get(0),
        blocks.get(blocks.size() / 2), blocks);
  }
}
