package org.cam4j.explain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expected top-5 table of a model card in shared/models ("| cat.png | 12.137 | 286:
 * Egyptian cat 0.818; 282: tabby 0.105; ... |"), read at test time so the card stays the oracle.
 */
record ModelCard(Map<String, List<Expected>> top5) {
  record Expected(int index, String label, double probability) {
  }

  private static final Pattern ROW = Pattern.compile(
      "^\\|\\s*(\\S+\\.(?:png|jpg))\\s*\\|\\s*[-0-9.]+\\s*\\|(.*)\\|\\s*$");
  private static final Pattern ENTRY = Pattern.compile("(\\d+): (.+?) ([0-9.]+)$");

  static ModelCard read(Path card) {
    Map<String, List<Expected>> rows = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(card)) {
        Matcher m = ROW.matcher(line.trim());
        if (!m.matches() || rows.containsKey(m.group(1))) {
          continue;
        }
        List<Expected> entries = new ArrayList<>();
        for (String item : m.group(2).split(";")) {
          Matcher e = ENTRY.matcher(item.trim());
          if (!e.matches()) {
            throw new IllegalStateException("unexpected card entry '" + item + "' in " + card);
          }
          entries.add(new Expected(Integer.parseInt(e.group(1)), e.group(2),
              Double.parseDouble(e.group(3))));
        }
        rows.put(m.group(1), entries);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ModelCard(rows);
  }
}
