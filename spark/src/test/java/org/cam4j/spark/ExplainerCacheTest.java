package org.cam4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Explanation;
import org.cam4j.image.Preprocessing;
import org.junit.jupiter.api.Test;

/**
 * The per-JVM cache without Spark: one load per key, the least recently used key pushed out
 * beyond {@link ExplainerCache#CAPACITY}, and a borrowed explainer left usable while a lease
 * holds it even once it has been pushed out.
 */
class ExplainerCacheTest {
  // thread counts no other test uses, so each key starts out of the cache
  private static ExplainerKey key(int threads) {
    return new ExplainerKey("cache-test", "", Preprocessing.INCEPTION.toString(), threads);
  }

  private static ExplainerCache.Lease borrow(int threads) {
    ExplainerKey key = key(threads);
    return ExplainerCache.borrow(key,
        () -> ModelShipment.load(SparkFixture.model(), SparkFixture.labels(), key));
  }

  @Test
  void keysAreLoadedOnceAndTheLeastRecentlyUsedIsPushedOut() {
    long before = ExplainerCache.loads();
    try (ExplainerCache.Lease held = borrow(11)) {
      Explainer first = held.explainer();
      borrow(11).close();
      assertEquals(before + 1, ExplainerCache.loads());
      try (ExplainerCache.Lease again = borrow(11)) {
        assertSame(first, again.explainer());
      }
      borrow(12).close();
      borrow(13).close(); // capacity 2: pushes out 11, still held here
      assertEquals(before + 3, ExplainerCache.loads());

      Path cat = SparkFixture.shared().resolve("images/cat.png");
      Explanation stillUsable = first.explain(cat);
      try (Explainer plain = SparkFixture.explainer()) {
        assertEquals(plain.explain(cat).target().index(), stillUsable.target().index());
      }
    }
    borrow(13).close();
    assertEquals(before + 3, ExplainerCache.loads());
    borrow(11).close();
    assertEquals(before + 4, ExplainerCache.loads());
  }
}
