package org.cam4j.server;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Explanations that took longer than the server waits, by an unguessable id. A finished job's
 * result is charged to the {@link MemoryBudget} while it is kept: for the job time-to-live, and
 * at most {@code maxJobs} finished jobs (the oldest go first). The store is trimmed whenever a
 * job finishes, is added, read or deleted, and by {@link #sweep} (which the server runs
 * periodically so expired results go even when nobody calls); jobs still running are bounded by
 * the worker pool's places. Deleting a job cancels its work.
 */
final class JobStore {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int maxJobs;
  private final long ttlNanos;
  private final MemoryBudget memory;
  private final Map<String, Job> jobs = new LinkedHashMap<>();

  JobStore(int maxJobs, Duration ttl, MemoryBudget memory) {
    this.maxJobs = maxJobs;
    this.ttlNanos = ttl.toNanos();
    this.memory = memory;
  }

  /** One job: its result (the response body), when it was made, what its result is charged. */
  static final class Job {
    private final CompletableFuture<byte[]> result;
    private final long createdNanos;
    private long charged;

    private Job(CompletableFuture<byte[]> result, long createdNanos) {
      this.result = result;
      this.createdNanos = createdNanos;
    }

    CompletableFuture<byte[]> result() {
      return result;
    }
  }

  synchronized String add(CompletableFuture<byte[]> result) {
    evict();
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    String id = HexFormat.of().formatHex(random);
    jobs.put(id, new Job(result, System.nanoTime()));
    result.whenComplete((body, error) -> finished(id, body));
    return id;
  }

  synchronized Optional<Job> get(String id) {
    evict();
    return Optional.ofNullable(jobs.get(id));
  }

  /** Drops the job and cancels its work if it still runs; false when there is no such job. */
  boolean delete(String id) {
    Job job;
    synchronized (this) {
      job = jobs.remove(id);
      if (job == null) {
        return false;
      }
      memory.give(job.charged);
    }
    job.result.cancel(false);
    return true;
  }

  /** Drops the expired and surplus finished jobs. */
  synchronized void sweep() {
    evict();
  }

  /** Jobs held, running or finished. */
  synchronized int size() {
    return jobs.size();
  }

  /** Charges a finished result, making room for it first by dropping the oldest finished jobs. */
  private synchronized void finished(String id, byte[] body) {
    Job job = jobs.get(id);
    if (job == null) {
      return;
    }
    long bytes = body == null ? 0 : body.length;
    evict();
    for (Iterator<Job> it = jobs.values().iterator(); it.hasNext() && !memory.fits(bytes);) {
      Job old = it.next();
      if (old != job && old.result.isDone()) {
        memory.give(old.charged);
        it.remove();
      }
    }
    if (jobs.containsKey(id)) {
      memory.take(bytes);
      job.charged = bytes;
    }
  }

  private void evict() {
    long now = System.nanoTime();
    int finished = 0;
    for (Iterator<Job> it = jobs.values().iterator(); it.hasNext();) {
      Job j = it.next();
      if (j.result.isDone()) {
        if (now - j.createdNanos > ttlNanos) {
          memory.give(j.charged);
          it.remove();
        } else {
          finished++;
        }
      }
    }
    for (Iterator<Job> it = jobs.values().iterator(); it.hasNext() && finished > maxJobs;) {
      Job j = it.next();
      if (j.result.isDone()) {
        memory.give(j.charged);
        it.remove();
        finished--;
      }
    }
  }
}
