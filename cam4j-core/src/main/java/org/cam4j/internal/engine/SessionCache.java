package org.cam4j.internal.engine;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Least-recently-used ONNX Runtime sessions; evicted and remaining sessions are closed. */
public final class SessionCache<K> implements AutoCloseable {
  private final int capacity;
  private final LinkedHashMap<K, OrtSession> sessions = new LinkedHashMap<>(16, 0.75f, true);
  private int created;

  public SessionCache(int capacity) {
    this.capacity = capacity;
  }

  public synchronized OrtSession get(K key, Function<K, OrtSession> factory) {
    OrtSession s = sessions.get(key);
    if (s != null) {
      return s;
    }
    s = factory.apply(key);
    created++;
    sessions.put(key, s);
    if (sessions.size() > capacity) {
      Iterator<Map.Entry<K, OrtSession>> oldest = sessions.entrySet().iterator();
      closeQuietly(oldest.next().getValue());
      oldest.remove();
    }
    return s;
  }

  /** Sessions built so far (to show a warm model builds none). */
  public synchronized int created() {
    return created;
  }

  @Override
  public synchronized void close() {
    sessions.values().forEach(SessionCache::closeQuietly);
    sessions.clear();
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing an ONNX Runtime session failed", e);
    }
  }
}
