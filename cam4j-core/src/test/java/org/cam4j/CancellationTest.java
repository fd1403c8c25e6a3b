package org.cam4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.tensor.FloatTensor;
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

  @Test
  void cancelStopsAModelRunInProgress() throws Exception {
    try (CamModel model = CamModel.load(SharedData.path("models/random/resnet18_random.onnx"),
        EngineOptions.builder().intraOpThreads(1).build())) {
      // 4 photos on one thread: a run of a good fraction of a second, with no checkpoint inside
      float[] pixels = new float[4 * 3 * 224 * 224];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (i % 251) / 251f;
      }
      FloatTensor batch = FloatTensor.of(new long[] {4, 3, 224, 224}, pixels);
      Cancellation token = Cancellation.when(() -> false);
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      Thread worker = new Thread(() -> {
        try {
          token.call(() -> model.scores(batch));
        } catch (Throwable e) {
          outcome.set(e);
        }
      });
      worker.start();
      // cancel only once the run is under way: its terminate flag is registered with the token
      while (!token.hasStops() && worker.isAlive()) {
        Thread.onSpinWait();
      }
      token.cancel();
      worker.join();
      assertTrue(outcome.get() instanceof CancelledException, String.valueOf(outcome.get()));
      // the stopped run leaves its session usable: the same batch, under no token, completes
      // on the session the stopped run had
      int sessions = model.sessionsCreated();
      FloatTensor scores = model.scores(batch);
      assertEquals(4, scores.dim(0));
      assertEquals(1000, scores.dim(1));
      assertEquals(sessions, model.sessionsCreated());
    }
  }

  @Test
  void aStopIsCalledOnCancelAndNeverAfterItsHookIsClosed() throws Exception {
    Cancellation token = Cancellation.when(() -> false);
    AtomicInteger stops = new AtomicInteger();
    AtomicInteger late = new AtomicInteger();
    token.call(() -> {
      try (Cancellation.Hook hook = Cancellation.onCancel(stops::incrementAndGet)) {
        assertTrue(token.hasStops());
        token.cancel();
      }
      assertFalse(token.hasStops());
      token.cancel();
      // registered while its token is cancelled already: stopped at once
      try (Cancellation.Hook hook = Cancellation.onCancel(late::incrementAndGet)) {
        assertEquals(1, late.get());
      }
      return null;
    });
    assertEquals(1, stops.get());
    // outside any token a hook does nothing
    AtomicInteger none = new AtomicInteger();
    Cancellation.onCancel(none::incrementAndGet).close();
    assertEquals(0, none.get());
  }
}
