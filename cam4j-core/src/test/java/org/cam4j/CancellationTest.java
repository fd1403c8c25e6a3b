package org.cam4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Checkpoints see the token of the work they run in, and only that. */
class CancellationTest {
  @Test
  void aCheckpointOutsideAnyTokenDoesNothing() {
    Cancellation.checkpoint();
  }

  @Test
  void workStopsAtTheFirstCheckpointAfterCancelling() {
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicInteger batches = new AtomicInteger();
    Cancellation token = Cancellation.when(cancelled::get);
    assertThrows(CancelledException.class, () -> token.call(() -> {
      for (int i = 0; i < 10; i++) {
        Cancellation.checkpoint();
        batches.incrementAndGet();
        if (i == 3) {
          cancelled.set(true);
        }
      }
      return null;
    }));
    assertEquals(4, batches.get());
    // the token is gone once its work is over
    Cancellation.checkpoint();
  }

  @Test
  void anInnerTokenGivesWayToTheOuterOneAfterwards() throws Exception {
    AtomicBoolean outerCancelled = new AtomicBoolean();
    Cancellation outer = Cancellation.when(outerCancelled::get);
    Cancellation inner = Cancellation.when(() -> false);
    int result = outer.call(() -> {
      int r = inner.call(() -> 7);
      outerCancelled.set(true);
      assertThrows(CancelledException.class, Cancellation::checkpoint);
      return r;
    });
    assertEquals(7, result);
  }
}
