package org.cam4j.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cam4j.Cam4jException;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.internal.engine.HeadGraph;
import org.cam4j.internal.engine.OrtRunner;
import org.cam4j.tensor.FloatTensor;

/**
 * A {@link HeadGraph} ready to run: scores for any values of the layer, with one ONNX Runtime
 * session. Get one from {@link CamModel#head}, which caches it and closes it with the model.
 * Thread-safe.
 */
public final class HeadModel implements AutoCloseable {
  private final HeadGraph graph;
  private final OrtEnvironment env;
  private final OrtSession session;
  private volatile boolean rowByRow;

  HeadModel(HeadGraph graph, OrtEnvironment env, OrtSession.SessionOptions options) {
    this.graph = graph;
    this.env = env;
    try {
      this.session = env.createSession(graph.proto().toByteArray(), options);
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load the head after layer '"
          + graph.layer() + "': " + e.getMessage(), e);
    }
  }

  /** The layer whose values this head takes. */
  public String layer() {
    return graph.layer();
  }

  /**
   * Tensors computed before the layer that the head reads besides it (e.g. a skip connection
   * around it): {@link #scores} needs their values too.
   */
  public List<String> boundary() {
    return graph.boundary();
  }

  /**
   * The scores [B, K] of a batch.
   *
   * @param layerValues values of the layer, B rows
   * @param boundary every tensor of {@link #boundary()}, B rows each
   */
  public FloatTensor scores(FloatTensor layerValues, Map<String, FloatTensor> boundary) {
    Map<String, FloatTensor> feeds = new HashMap<>(boundary);
    feeds.put(graph.layer(), layerValues);
    long rows = layerValues.dim(0);
    for (String b : graph.boundary()) {
      FloatTensor t = feeds.get(b);
      if (t == null || t.dim(0) != rows) {
        throw new IllegalArgumentException("boundary tensor '" + b + "' needs " + rows
            + " rows, got " + (t == null ? "none" : t.toString()));
      }
    }
    if (rows > 1 && !rowByRow) {
      try {
        FloatTensor out = run(feeds, true);
        if (out.dim(0) == rows) {
          return out;
        }
      } catch (Cam4jException e) {
        // exported with a fixed batch (e.g. a Reshape to [1, K]): such heads run row by row
      }
      rowByRow = true;
    }
    List<FloatTensor> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      Map<String, FloatTensor> row = new HashMap<>();
      for (Map.Entry<String, FloatTensor> f : feeds.entrySet()) {
        row.put(f.getKey(), FloatTensor.stack(List.of(f.getValue().row(r))));
      }
      out.add(run(row, false).row(0));
    }
    return FloatTensor.stack(out);
  }

  /** Whether batches run as one (false once a batch failed and rows run one by one). */
  public boolean batches() {
    return !rowByRow;
  }

  private FloatTensor run(Map<String, FloatTensor> feeds, boolean quiet) {
    FloatTensor t = OrtRunner.run(env, session, feeds, Set.of(graph.score()), quiet)
        .get(graph.score());
    long n = t.dim(0);
    return FloatTensor.wrap(new long[] {n, t.size() / n}, t.toArray());
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing an ONNX Runtime session failed", e);
    }
  }
}
