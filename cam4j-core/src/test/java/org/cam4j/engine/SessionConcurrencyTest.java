package org.cam4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cam4j.SharedData;
import org.cam4j.Targets;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.TensorShapeProto;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sessions shared by threads while a tiny cache evicts them: no run may ever use a closed
 * session, and every result must equal the single-threaded one.
 */
class SessionConcurrencyTest {
  private static final String RESNET = "models/random/resnet18_random.onnx";
  /** The eight basic-block outputs of resnet18. */
  private static final List<String> BLOCKS = blocks();
  /** Layer sets of one to three block outputs; more than a cache of two holds. */
  private static final List<List<String>> SETS = List.of(
      List.of(BLOCKS.get(1)),
      List.of(BLOCKS.get(3), BLOCKS.get(6)),
      List.of(BLOCKS.get(0), BLOCKS.get(4), BLOCKS.get(7)));
  private static final FloatTensor IMAGE = gaussian(1, 7);

  /** Single-threaded, default options: the expected results, and the warm-model check. */
  private static CamModel reference;

  @BeforeAll
  static void loadReference() {
    reference = CamModel.load(SharedData.path(RESNET));
  }

  @AfterAll
  static void closeReference() {
    reference.close();
  }

  @Test
  void threadsRotatingLayerSetsOnATinyCacheGetTheSingleThreadedResults() throws Exception {
    Map<List<String>, ForwardResult> forward = new HashMap<>();
    Map<List<String>, GradientResult> backward = new HashMap<>();
    for (List<String> layers : SETS) {
      forward.put(layers, reference.forward(IMAGE, layers));
      backward.put(layers, gradients(reference, IMAGE, layers));
    }
    EngineOptions tiny = EngineOptions.builder().maxCachedSessions(2).build();
    try (CamModel model = CamModel.load(SharedData.path(RESNET), tiny)) {
      // 4 threads x 50 calls; each thread moves to the next layer set every 25 calls, and every
      // tenth call runs the backward pass too: 6 sessions in turn through a cache of 2
      runAll(4, thread -> {
        for (int call = 0; call < 50; call++) {
          List<String> layers = SETS.get((thread + call / 25) % SETS.size());
          if (call % 10 == 9) {
            assertSameGradients(backward.get(layers), gradients(model, IMAGE, layers));
          } else {
            assertSameForward(forward.get(layers), model.forward(IMAGE, layers), layers);
          }
        }
      });
      assertTrue(model.sessionsCreated() > 6, "sessions were evicted and built again: "
          + model.sessionsCreated());
    }
  }

  @Test
  void aLargeBatchRunsWhileOtherThreadsRotateLayersOnATinyCache() throws Exception {
    ModelGraph dynamic = dynamicBatch(ModelGraph.load(SharedData.path(RESNET)));
    FloatTensor batch = gaussian(8, 3);
    EngineOptions tiny = EngineOptions.builder().maxCachedSessions(1).build();
    try (CamModel expected = CamModel.of(dynamic.proto().toByteArray(), EngineOptions.defaults());
        CamModel model = CamModel.of(dynamic.proto().toByteArray(), tiny)) {
      GradientResult big = gradients(expected, batch, List.of(BLOCKS.get(7)));
      Map<List<String>, ForwardResult> forward = new HashMap<>();
      for (List<String> layers : SETS) {
        forward.put(layers, expected.forward(IMAGE, layers));
      }
      runAll(3, thread -> {
        if (thread == 0) {
          for (int call = 0; call < 2; call++) {
            assertSameGradients(big, gradients(model, batch, List.of(BLOCKS.get(7))));
          }
        } else {
          for (int call = 0; call < 20; call++) {
            List<String> layers = SETS.get((thread + call / 4) % SETS.size());
            assertSameForward(forward.get(layers), model.forward(IMAGE, layers), layers);
          }
        }
      });
    }
  }

  @Test
  void aWarmModelAskedForEveryBlockOutputInTurnBuildsNoSession() {
    for (String block : BLOCKS) {
      gradients(reference, IMAGE, List.of(block));
    }
    int warm = reference.sessionsCreated();
    for (int round = 0; round < 2; round++) {
      for (String block : BLOCKS) {
        gradients(reference, IMAGE, List.of(block));
      }
    }
    assertEquals(warm, reference.sessionsCreated(), "default options keep all 8 warm");
  }

  private interface Worker {
    void run(int thread) throws Exception;
  }

  /** Runs the workers on their own threads; rethrows the first failure. */
  private static void runAll(int threads, Worker worker) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          worker.run(thread);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static GradientResult gradients(CamModel model, FloatTensor input,
      List<String> layers) {
    return model.forwardBackward(input, layers, Targets.top((int) input.dim(0)));
  }

  // Exact equality: the same graph, options and input run by another session of the same model
  // performs the same float operations in the same order, whatever the other threads do.
  private static void assertSameForward(ForwardResult expected, ForwardResult actual,
      List<String> layers) {
    assertArrayEquals(expected.scores().toArray(), actual.scores().toArray());
    for (String l : layers) {
      assertArrayEquals(expected.tensor(l).toArray(), actual.tensor(l).toArray(), l);
    }
  }

  private static void assertSameGradients(GradientResult expected, GradientResult actual) {
    assertArrayEquals(expected.scores().toArray(), actual.scores().toArray());
    for (String l : expected.layers()) {
      assertArrayEquals(expected.activation(l).toArray(), actual.activation(l).toArray(), l);
      assertArrayEquals(expected.gradient(l).toArray(), actual.gradient(l).toArray(), l);
    }
  }

  /** resnet18 with a symbolic batch (it is exported with batch 1; Flatten + Gemm take any). */
  private static ModelGraph dynamicBatch(ModelGraph graph) {
    GraphProto.Builder g = graph.proto().getGraph().toBuilder().clearValueInfo();
    TensorShapeProto.Dimension n = TensorShapeProto.Dimension.newBuilder().setDimParam("N")
        .build();
    g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().setDim(0, n);
    g.getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().setDim(0, n);
    ModelProto p = graph.proto().toBuilder().setGraph(g).build();
    return ModelGraph.of(p);
  }

  private static List<String> blocks() {
    List<String> names = new ArrayList<>();
    for (int layer = 1; layer <= 4; layer++) {
      for (int block = 0; block < 2; block++) {
        names.add("/layer" + layer + "/layer" + layer + "." + block + "/relu_1/Relu_output_0");
      }
    }
    return List.copyOf(names);
  }

  private static FloatTensor gaussian(int rows, long seed) {
    Random rnd = new Random(seed);
    float[] x = new float[rows * 3 * 224 * 224];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return FloatTensor.of(new long[] {rows, 3, 224, 224}, x);
  }
}
