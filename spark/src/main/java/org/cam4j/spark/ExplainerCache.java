package org.cam4j.spark;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.cam4j.explain.Explainer;

/**
 * The explainers loaded in this JVM (a Spark executor, or the driver), shared by all its tasks
 * and jobs: a small LRU keyed by {@link ExplainerKey}. Tasks borrow an explainer through a
 * {@link Lease} and never close it; an explainer pushed out of the cache is closed once its last
 * lease is returned, so its native memory is freed without pulling it from under a running task.
 */
final class ExplainerCache {
  /** Models kept loaded per JVM; a job uses one, a second one covers a model change. */
  static final int CAPACITY = 2;

  private static final Map<ExplainerKey, Entry> ENTRIES = new LinkedHashMap<>(4, 0.75f, true);
  private static final AtomicLong LOADS = new AtomicLong();

  private ExplainerCache() {
  }

  /** How many explainers this JVM has loaded so far. */
  static long loads() {
    return LOADS.get();
  }

  /**
   * Borrows the explainer for {@code key}, loading it with {@code loader} when this JVM has
   * none (under the cache's lock, so concurrent tasks load it once).
   */
  static Lease borrow(ExplainerKey key, Supplier<Explainer> loader) {
    synchronized (ENTRIES) {
      Entry entry = ENTRIES.get(key);
      if (entry == null) {
        entry = new Entry(loader.get());
        LOADS.incrementAndGet();
        ENTRIES.put(key, entry);
        evictBeyondCapacity();
      }
      entry.users++;
      return new Lease(entry);
    }
  }

  private static void evictBeyondCapacity() {
    Iterator<Entry> it = ENTRIES.values().iterator();
    while (ENTRIES.size() > CAPACITY && it.hasNext()) {
      Entry oldest = it.next();
      it.remove();
      oldest.evicted = true;
      oldest.closeIfUnused();
    }
  }

  private static final class Entry {
    final Explainer explainer;
    int users;
    boolean evicted;

    Entry(Explainer explainer) {
      this.explainer = explainer;
    }

    void closeIfUnused() {
      if (evicted && users == 0) {
        explainer.close();
      }
    }
  }

  /** A borrowed explainer; {@link #close()} returns it (it stays loaded). */
  static final class Lease implements AutoCloseable {
    private final Entry entry;
    private boolean returned;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    Explainer explainer() {
      return entry.explainer;
    }

    @Override
    public void close() {
      synchronized (ENTRIES) {
        if (!returned) {
          returned = true;
          entry.users--;
          entry.closeIfUnused();
        }
      }
    }
  }
}
