package org.cam4j.engine;

import ai.onnxruntime.OrtEnvironment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.cam4j.Cam4jException;
import org.cam4j.internal.engine.HeadGraph;
import org.cam4j.internal.engine.ModelSession;
import org.cam4j.internal.engine.OrtRunner;
import org.cam4j.internal.engine.SessionCache;
import org.cam4j.tensor.FloatTensor;

/**
 * A {@link HeadGraph} ready to run: scores for any values of the layer. Get one from
 * {@link CamModel#head}; its ONNX Runtime session lives in the model's bounded session cache
 * (built on use, leased for each run, closed by the cache when retired and idle). Thread-safe.
 */
public final class HeadModel implements AutoCloseable {
  private final HeadGraph graph;
  private final OrtEnvironment env;
  private final Function<HeadGraph, SessionCache<?, ModelSession>.Lease> sessions;
  private final Runnable retire;
  private volatile boolean rowByRow;

  HeadModel(HeadGraph graph, OrtEnvironment env,
      Function<HeadGraph, SessionCache<?, ModelSession>.Lease> sessions, Runnable retire) {
    this.graph = graph;
    this.env = env;
    this.sessions = sessions;
    this.retire = retire;
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
        FloatTensor out = run(feeds);
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
      out.add(run(row).row(0));
    }
    return FloatTensor.stack(out);
  }

  /** Whether batches run as one (false once a batch failed and rows run one by one). */
  public boolean batches() {
    return !rowByRow;
  }

  private FloatTensor run(Map<String, FloatTensor> feeds) {
    FloatTensor t;
    try (var lease = sessions.apply(graph)) {
      t = OrtRunner.run(env, lease.session().session(), feeds, Set.of(graph.score()))
          .get(graph.score());
    }
    long n = t.dim(0);
    return FloatTensor.wrap(new long[] {n, t.size() / n}, t.toArray());
  }

  /**
   * Retires the head's session from the model's cache (closed once no run uses it); a later
   * run builds it again.
   */
  @Override
  public void close() {
    retire.run();
  }
}
