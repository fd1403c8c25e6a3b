package org.cam4j.internal.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Native resources (ONNX Runtime sessions) cached per key and handed out as leases, so that no
 * caller can ever use a closed one.
 *
 * <ul>
 *   <li>Eviction only retires an entry (it leaves the map); the resource is closed when its last
 *       lease is released. Closing the cache retires every entry the same way.</li>
 *   <li>Builds run outside the lock, one per key: concurrent requests for the same key wait for
 *       that build, requests for other keys never wait behind it. A failed build is not cached
 *       (the next request builds again) and its exception reaches every request waiting on
 *       it.</li>
 *   <li>The cache holds at most {@code maxEntries} built entries whose estimated sizes add up to
 *       at most {@code budgetBytes}, evicting the least recently used; the entry built last
 *       always stays, whatever its size.</li>
 * </ul>
 *
 * @param <K> the key
 * @param <S> the resource, closed exactly once, after its last lease
 */
public final class SessionCache<K, S extends AutoCloseable> implements AutoCloseable {
  private final int maxEntries;
  private final long budgetBytes;
  private final ToLongFunction<S> sizeOf;
  private final Object lock = new Object();
  private final LinkedHashMap<K, Entry<S>> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long cachedBytes;
  private int created;
  private boolean closed;

  /**
   * @param maxEntries most built entries kept
   * @param budgetBytes most estimated bytes kept
   * @param sizeOf estimated native bytes of a built resource
   */
  public SessionCache(int maxEntries, long budgetBytes, ToLongFunction<S> sizeOf) {
    if (maxEntries < 1 || budgetBytes < 1) {
      throw new IllegalArgumentException("a cache needs room for an entry, got " + maxEntries
          + " entries and " + budgetBytes + " bytes");
    }
    this.maxEntries = maxEntries;
    this.budgetBytes = budgetBytes;
    this.sizeOf = sizeOf;
  }

  /** One cached resource and the leases on it. Guarded by the cache's lock. */
  private static final class Entry<S extends AutoCloseable> {
    final CompletableFuture<S> built = new CompletableFuture<>();
    int leases;
    long bytes;
    boolean ready;
    boolean retired;
  }

  /** The use of a resource; while any lease on it is open the resource stays open. */
  public final class Lease implements AutoCloseable {
    private final Entry<S> entry;
    private final S resource;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Entry<S> entry, S resource) {
      this.entry = entry;
      this.resource = resource;
    }

    /** The resource, open until this lease is closed. */
    public S session() {
      if (released.get()) {
        throw new IllegalStateException("the lease was released");
      }
      return resource;
    }

    /** Releases the lease; the last one on a retired entry closes its resource. */
    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        release(entry);
      }
    }
  }

  /**
   * A lease on the resource for {@code key}, built by {@code factory} when none is cached or
   * being built.
   *
   * @throws IllegalStateException when the cache is closed
   * @throws RuntimeException what the build of the resource threw, for every waiting caller
   */
  public Lease acquire(K key, Function<K, S> factory) {
    Entry<S> entry;
    boolean build = false;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the session cache is closed");
      }
      entry = entries.get(key);
      if (entry == null) {
        entry = new Entry<>();
        entries.put(key, entry);
        build = true;
      }
      entry.leases++;
    }
    if (build) {
      build(key, entry, factory);
    }
    try {
      return new Lease(entry, entry.built.join());
    } catch (CompletionException e) {
      release(entry);
      throw rethrown(e.getCause());
    }
  }

  private void build(K key, Entry<S> entry, Function<K, S> factory) {
    S resource;
    try {
      resource = factory.apply(key);
    } catch (RuntimeException | Error e) {
      synchronized (lock) {
        entries.remove(key, entry);
        entry.retired = true;
      }
      entry.built.completeExceptionally(e);
      return;
    }
    long bytes = sizeOf.applyAsLong(resource);
    List<S> idle;
    synchronized (lock) {
      created++;
      entry.bytes = bytes;
      entry.ready = true;
      if (!entry.retired) {
        cachedBytes += bytes;
      }
      idle = evictOverBudget(entry);
    }
    entry.built.complete(resource);
    idle.forEach(SessionCache::closeQuietly);
  }

  /** Retires least recently used built entries, never {@code keep}; returns those now idle. */
  private List<S> evictOverBudget(Entry<S> keep) {
    List<S> idle = new ArrayList<>();
    Iterator<Entry<S>> oldest = entries.values().iterator();
    while (oldest.hasNext() && (readyCount() > maxEntries || cachedBytes > budgetBytes)) {
      Entry<S> e = oldest.next();
      if (e != keep && e.ready) {
        oldest.remove();
        retire(e, idle);
      }
    }
    return idle;
  }

  private int readyCount() {
    int n = 0;
    for (Entry<S> e : entries.values()) {
      if (e.ready) {
        n++;
      }
    }
    return n;
  }

  /** Marks an entry (already out of the map) retired; adds its resource to idle if unleased. */
  private void retire(Entry<S> e, List<S> idle) {
    e.retired = true;
    if (e.ready) {
      cachedBytes -= e.bytes;
      if (e.leases == 0) {
        idle.add(e.built.join());
      }
    }
  }

  private void release(Entry<S> entry) {
    S idle = null;
    synchronized (lock) {
      entry.leases--;
      if (entry.leases == 0 && entry.retired && entry.ready) {
        idle = entry.built.join();
      }
    }
    if (idle != null) {
      closeQuietly(idle);
    }
  }

  /** Retires the entry of {@code key} if one is built: closed now if idle, else after its leases. */
  public void retire(K key) {
    List<S> idle = new ArrayList<>();
    synchronized (lock) {
      Entry<S> e = entries.get(key);
      if (e != null && e.ready) {
        entries.remove(key);
        retire(e, idle);
      }
    }
    idle.forEach(SessionCache::closeQuietly);
  }

  /** Resources built so far (to show a warm model builds none). */
  public int created() {
    synchronized (lock) {
      return created;
    }
  }

  /** Entries cached now (built or being built). */
  public int size() {
    synchronized (lock) {
      return entries.size();
    }
  }

  /** Estimated bytes of the built entries cached now. */
  public long cachedBytes() {
    synchronized (lock) {
      return cachedBytes;
    }
  }

  /**
   * Retires every entry: idle resources close now, leased ones when their last lease is
   * released. Later requests fail.
   */
  @Override
  public void close() {
    List<S> idle = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      for (Entry<S> e : entries.values()) {
        retire(e, idle);
      }
      entries.clear();
    }
    idle.forEach(SessionCache::closeQuietly);
  }

  private static RuntimeException rethrown(Throwable cause) {
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(cause);
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing a cached session failed", e);
    }
  }
}
