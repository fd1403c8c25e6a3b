package org.cam4j.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cam4j.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {
  @TempDir
  Path dir;

  @Test
  void plainTextWithBackground() {
    Labels labels = Labels.load(SharedData.path("labels/imagenet_labels_1001.txt"));
    assertEquals(1001, labels.size());
    assertEquals(new Label(0, null, "background"), labels.get(0));
    assertEquals("Egyptian cat", labels.get(286).name());
    assertEquals("tabby", labels.get(282).shortName());
    assertEquals("tabby, tabby cat", labels.get(282).name());
    assertEquals("toilet tissue", labels.get(1000).shortName());
    assertSame(labels, labels.alignTo(1001));
  }

  @Test
  void thousandLabelsFitA1001ClassModel() {
    Labels labels = Labels.load(SharedData.path("labels/imagenet_labels_1000.txt"));
    assertEquals(1000, labels.size());
    assertEquals("Egyptian cat", labels.get(285).name());
    Labels aligned = labels.alignTo(1001);
    assertEquals(1001, aligned.size());
    assertEquals(new Label(0, null, "background"), aligned.get(0));
    assertEquals(new Label(286, null, "Egyptian cat"), aligned.get(286));
    assertEquals(new Label(1, null, "tench, Tinca tinca"), aligned.get(1));
  }

  @Test
  void leadingBackgroundIsDroppedFor1000Classes() {
    Labels aligned = Labels.load(SharedData.path("labels/imagenet_labels_1001.txt")).alignTo(1000);
    assertEquals(1000, aligned.size());
    assertEquals(new Label(0, null, "tench, Tinca tinca"), aligned.get(0));
    assertEquals(new Label(285, null, "Egyptian cat"), aligned.get(285));
  }

  @Test
  void synsetFileGivesWordNetIds() {
    Labels synset = Labels.load(SharedData.path("labels/synset.txt"));
    assertEquals(1000, synset.size());
    assertEquals(new Label(0, "n01440764", "tench, Tinca tinca"), synset.get(0));
    assertEquals(new Label(285, "n02124075", "Egyptian cat"), synset.get(285));
    Label shifted = synset.alignTo(1001).get(286);
    assertEquals("n02124075", shifted.wnid());
    assertEquals(286, shifted.index());
  }

  @Test
  void kerasClassIndexJson() throws IOException {
    Path json = dir.resolve("imagenet_class_index.json");
    Files.writeString(json, "{\"1\": [\"n01443537\", \"goldfish\"], \"0\": [\"n01440764\","
        + " \"tench\"], \"2\": [\"n01484850\", \"great_white_shark\"]}");
    Labels labels = Labels.load(json);
    assertEquals(List.of(new Label(0, "n01440764", "tench"), new Label(1, "n01443537", "goldfish"),
        new Label(2, "n01484850", "great_white_shark")), labels.asList());
  }

  @Test
  void plainJsonObjectAndArray() throws IOException {
    Path object = dir.resolve("labels.json");
    Files.writeString(object, "{\"0\": \"cat\", \"1\": \"dog, doggy\"}");
    assertEquals(List.of(new Label(0, null, "cat"), new Label(1, null, "dog, doggy")),
        Labels.load(object).asList());
    Path array = dir.resolve("labels.txt");
    Files.writeString(array, "  [\"cat\", \"dog\"]\n");
    assertEquals("dog", Labels.load(array).get(1).name());
  }

  @Test
  void malformedFilesAreExplained() throws IOException {
    Path gap = dir.resolve("gap.json");
    Files.writeString(gap, "{\"0\": \"cat\", \"2\": \"dog\"}");
    assertEquals("labels file " + gap + ": key \"2\" is outside 0..1; the indexes must run from"
        + " 0 without gaps",
        assertThrows(LabelsException.class, () -> Labels.load(gap)).getMessage());
    Path entry = dir.resolve("entry.json");
    Files.writeString(entry, "{\"0\": 17}");
    assertEquals("labels file " + entry + ": entry 0 is 17; expected a name or [wnid, name]",
        assertThrows(LabelsException.class, () -> Labels.load(entry)).getMessage());
    Path blank = dir.resolve("blank.txt");
    Files.writeString(blank, "cat\n\ndog\n\n");
    assertEquals("labels file " + blank + ": line 2 is empty; every line must name one class",
        assertThrows(LabelsException.class, () -> Labels.load(blank)).getMessage());
    Path missing = dir.resolve("missing.txt");
    assertEquals("labels file not found: " + missing,
        assertThrows(LabelsException.class, () -> Labels.load(missing)).getMessage());
  }

  @Test
  void windowsLineEndsAndTrailingBlankLines() throws IOException {
    Path crlf = dir.resolve("crlf.txt");
    Files.writeString(crlf, "\uFEFFcat\r\ndog\r\n\r\n");
    Labels labels = Labels.load(crlf);
    assertEquals(2, labels.size());
    assertEquals("cat", labels.get(0).name());
    assertEquals("dog", labels.get(1).name());
  }

  @Test
  void otherCountMismatchesAreErrors() {
    Labels labels = Labels.load(SharedData.path("labels/imagenet_labels_1000.txt"));
    assertEquals("the labels (" + SharedData.path("labels/imagenet_labels_1000.txt") + ") name 1000"
        + " classes but the model has 10 outputs; give a labels file with 10 entries (or 9 when"
        + " output 0 is background)",
        assertThrows(LabelsException.class, () -> labels.alignTo(10)).getMessage());
    // one label more, but the first is not "background": no guessing
    assertThrows(LabelsException.class, () -> labels.alignTo(999));
  }

  @Test
  void fallbackNamesEveryClass() {
    Labels fallback = Labels.fallback(20);
    assertEquals(20, fallback.size());
    assertEquals(new Label(17, null, "class 17"), fallback.get(17));
    assertNull(fallback.get(0).wnid());
    assertThrows(IndexOutOfBoundsException.class, () -> fallback.get(20));
  }

  @Test
  void findsClassesByWnidNameSynonymOrUniqueSubstring() {
    Labels synset = Labels.load(SharedData.path("labels/synset.txt"));
    assertEquals(281, synset.find("tabby").index());
    assertEquals(281, synset.find("Tabby Cat").index(), "a synonym, any case");
    assertEquals(281, synset.find("n02123045").index());
    assertEquals(285, synset.find("Egyptian cat").index());
    assertEquals(1, synset.find("goldfish").index());
    LabelsException ambiguous = assertThrows(LabelsException.class, () -> synset.find("cat"));
    assertTrue(ambiguous.getMessage().startsWith("class 'cat' is ambiguous: it matches "),
        ambiguous.getMessage());
    LabelsException typo = assertThrows(LabelsException.class, () -> synset.find("tabbby"));
    assertTrue(typo.getMessage().contains("closest: 281 'tabby'"), typo.getMessage());
    assertEquals(281, synset.suggestions("tabbby").get(0).index());
    assertEquals(8, synset.suggestions("cat").size());
  }
}
