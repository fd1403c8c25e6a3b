package org.cam4j.bench;

import java.util.List;
import java.util.Random;
import org.cam4j.engine.CamModel;
import org.cam4j.method.CamContext;
import org.cam4j.method.CamMethod;
import org.cam4j.tensor.FloatTensor;

/** The calls being timed: the plain forward and explanations, as the library's users make them. */
final class Workloads {
  private Workloads() {
  }

  /** Seeded standard-normal input of the model's shape. */
  static FloatTensor randomInput(CamModel model, int batch, long seed) {
    long[] shape = model.signature().inputShape(batch);
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    Random random = new Random(seed);
    float[] data = new float[Math.toIntExact(size)];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    return FloatTensor.of(shape, data);
  }

  static Runnable forward(CamModel model, FloatTensor input) {
    return () -> Sink.consume(model.scores(input));
  }

  /** One forward+backward run over {@code layers}, then the method's raw map for each. */
  static Runnable explain(CamModel model, FloatTensor input, CamMethod method,
      List<String> layers) {
    return () -> {
      CamContext context = CamContext.of(model, input, layers,
          org.cam4j.explain.Target.top());
      for (String layer : layers) {
        Sink.consume(method.rawMaps(context, layer));
      }
    };
  }
}
