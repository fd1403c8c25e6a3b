package org.cam4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.concurrent.CompletableFuture;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/** The per-thread direct memory a run's inputs are copied into. */
class InputMemoryTest {
  private static FloatTensor vector(float... values) {
    return FloatTensor.of(new long[] {values.length}, values);
  }

  private static float[] values(FloatBuffer b) {
    float[] v = new float[b.remaining()];
    b.duplicate().get(v);
    return v;
  }

  @Test
  void copiesEachInputIntoItsOwnDirectPiece() {
    InputMemory memory = InputMemory.forRun(10, 2);
    FloatBuffer first = memory.copy(vector(1, 2, 3));
    FloatBuffer second = memory.copy(vector(4, 5, 6, 7, 8, 9, 10));
    assertTrue(first.isDirect() && second.isDirect());
    assertArrayEquals(new float[] {1, 2, 3}, values(first));
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10}, values(second));
  }

  @Test
  void aThreadsNextRunReusesTheSameMemory() {
    FloatBuffer earlier = InputMemory.forRun(4, 1).copy(vector(1, 2, 3, 4));
    InputMemory.forRun(4, 1).copy(vector(5, 6, 7, 8));
    assertArrayEquals(new float[] {5, 6, 7, 8}, values(earlier));
  }

  @Test
  void aRunPastTheLimitGetsMemoryThatIsNotKept() {
    FloatBuffer kept = InputMemory.forRun(4, 1).copy(vector(1, 2, 3, 4));
    int floats = InputMemory.MAX_KEPT_BYTES / Float.BYTES;
    FloatBuffer large = InputMemory.forRun(floats, 1).copy(FloatTensor.of(new long[] {floats},
        new float[floats]));
    assertEquals(floats, large.remaining());
    InputMemory.forRun(4, 1).copy(vector(5, 6, 7, 8));
    assertArrayEquals(new float[] {5, 6, 7, 8}, values(kept), "the small memory is still kept");
  }

  @Test
  void otherThreadsHaveTheirOwn() {
    FloatBuffer mine = InputMemory.forRun(4, 1).copy(vector(1, 2, 3, 4));
    CompletableFuture.runAsync(() -> InputMemory.forRun(4, 1).copy(vector(9, 9, 9, 9))).join();
    assertArrayEquals(new float[] {1, 2, 3, 4}, values(mine));
  }
}
