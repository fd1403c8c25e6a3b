package org.cam4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void theCeilingItselfPasses() {
    assertEquals("pass", Target.DEFAULT_LAYER.verdict(1.10));
  }

  @Test
  void aMissSaysByHowMuchRelativeToTheCeiling() {
    assertEquals("miss by 10.0 %", Target.DEFAULT_LAYER.verdict(1.21));
    assertEquals("miss by 25.0 %", Target.ALL_BLOCKS.verdict(2.5));
  }

  @Test
  void labelShowsTheCeiling() {
    assertEquals("<= 1.60x", Target.SINGLE_LAYER.label());
  }
}
