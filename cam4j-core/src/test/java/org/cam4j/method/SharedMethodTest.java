package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cam4j.TinyCnn;
import org.cam4j.engine.CamModel;
import org.cam4j.explain.Target;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/**
 * Methods hold no per-call state: one instance used by several threads at once gives each
 * context exactly what it gives it alone. The methods chosen remember per-call work (augmented
 * copies, the guided-backprop map), which now lives on the context.
 */
class SharedMethodTest {
  private static final List<String> LAYERS = List.of("a1", "a2");

  @Test
  void oneInstanceServesConcurrentCalls() throws Exception {
    TinyModel tiny = TinyCnn.relu();
    CamMethod shared = AugSmooth.of(new GuidedGradCam());
    int calls = 4;
    try (CamModel m = TinyCnn.load(tiny)) {
      List<FloatTensor> inputs = new ArrayList<>();
      List<float[]> alone = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        inputs.add(TinyCnn.input(tiny, 1, 40 + i));
        alone.add(bothLayers(shared, CamContext.of(m, inputs.get(i), LAYERS, Target.top())));
      }
      ExecutorService pool = Executors.newFixedThreadPool(calls);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<float[]>> together = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
          CamContext c = CamContext.of(m, inputs.get(i), LAYERS, Target.top());
          Callable<float[]> call = () -> {
            start.await();
            return bothLayers(shared, c);
          };
          together.add(pool.submit(call));
        }
        start.countDown();
        for (int i = 0; i < calls; i++) {
          assertArrayEquals(alone.get(i), together.get(i).get(), "call " + i);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** The maps of both layers, one after the other, as the caller of a context asks them. */
  private static float[] bothLayers(CamMethod method, CamContext c) {
    float[] a1 = method.rawMaps(c, "a1").toArray();
    float[] a2 = method.rawMaps(c, "a2").toArray();
    float[] out = new float[a1.length + a2.length];
    System.arraycopy(a1, 0, out, 0, a1.length);
    System.arraycopy(a2, 0, out, a1.length, a2.length);
    return out;
  }
}
