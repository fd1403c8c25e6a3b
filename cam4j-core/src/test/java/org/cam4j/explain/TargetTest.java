package org.cam4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cam4j.InvalidInputException;
import org.cam4j.SharedData;
import org.cam4j.labels.Labels;
import org.cam4j.labels.LabelsException;
import org.junit.jupiter.api.Test;

class TargetTest {
  private static final Labels SYNSET = Labels.load(SharedData.path("labels/synset.txt"));

  @Test
  void textFormsRoundTrip() {
    for (String text : List.of("top", "286", "tabby", "n02123045", "softmax(286)",
        "negative(top)", "negative(softmax(tabby))", "weighted(0=0.5,3=-1.0)",
        "softmax(weighted(2=2.0))")) {
      Target t = Target.parse(text);
      assertEquals(text, t.toString());
      assertEquals(t, Target.parse(t.toString()));
    }
    assertEquals(Target.index(7).probability().negated(),
        Target.parse("NEGATIVE(Softmax(7))"));
    assertEquals(Target.top(), Target.parse(" Top "));
  }

  @Test
  void partsOfTheParsedForm() {
    Target t = Target.parse("negative(softmax(12))");
    assertEquals(Target.Kind.CLASS, t.kind());
    assertEquals(12, t.index());
    assertTrue(t.isNegative());
    assertTrue(t.isProbability());
    assertEquals(null, t.score(), "negated probabilities are no command-line score kind");
    assertEquals(Target.Score.SOFTMAX, Target.index(1).scored(Target.Score.SOFTMAX).score());
    assertEquals(Target.Score.NEGATIVE, Target.top().scored(Target.Score.parse("negative"))
        .score());
    Target w = Target.parse("weighted(3=0.25,1=2)");
    assertArrayEquals(new float[] {0f, 2f, 0f, 0.25f}, w.weights());
    assertEquals(Target.weighted(0f, 2f, 0f, 0.25f, 0f), w, "trailing zero weights are dropped");
    assertThrows(InvalidInputException.class, () -> Target.parse("weighted(a=1)"));
    assertThrows(InvalidInputException.class, () -> Target.Score.parse("probit"));
  }

  @Test
  void resolvesIndexLabelSynonymAndWordNetId() {
    assertEquals(Target.index(281), Target.parse("tabby").resolve(SYNSET));
    assertEquals(Target.index(281), Target.parse("tabby cat").resolve(SYNSET), "a synonym");
    assertEquals(Target.index(285), Target.parse("n02124075").resolve(SYNSET));
    assertEquals(Target.index(281).probability(), Target.parse("softmax(TABBY)")
        .resolve(SYNSET), "the score kind survives resolution");
    assertEquals(Target.index(999), Target.index(999).resolve(SYNSET));
    assertEquals(Target.top(), Target.top().resolve(SYNSET));
  }

  @Test
  void aMissSuggestsTheClosestNames() {
    LabelsException e = assertThrows(LabelsException.class,
        () -> Target.parse("tabbby").resolve(SYNSET));
    assertTrue(e.getMessage().contains("281 'tabby'"), e.getMessage());
  }

  @Test
  void outOfRangeClassesFail() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Target.index(1000).resolve(SYNSET));
    assertEquals("class 1000 is out of range: the model has 1000 classes (0..999)",
        e.getMessage());
    assertThrows(InvalidInputException.class,
        () -> Target.parse("softmax(weighted(1000=1))").resolve(SYNSET));
    assertThrows(InvalidInputException.class, () -> Target.index(-1));
  }

  @Test
  void aNameHasNoIndexUntilResolved() {
    Target named = Target.named("tabby");
    assertFalse(named.isTop());
    assertEquals("tabby", named.name().orElseThrow());
    assertThrows(IllegalStateException.class, named::index);
    assertThrows(IllegalStateException.class, named::weights);
  }

  @Test
  void topIsFixedToAClassKeepingItsScore() {
    assertEquals(Target.index(4).negated(), Target.top().negated().withTopAs(4));
    assertEquals(Target.index(2), Target.index(2).withTopAs(4));
  }
}
