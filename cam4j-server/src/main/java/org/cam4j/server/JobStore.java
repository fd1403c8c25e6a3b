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
 * Explanations that took longer than the server waits, by an unguessable id. Finished results
 * are kept for a while and at most {@code maxJobs} of them (the oldest go first); jobs still
 * running are bounded by the worker pool's tickets.
 */
final class JobStore {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int maxJobs;
  private final long ttlNanos;
  private final Map<String, Job> jobs = new LinkedHashMap<>();

  JobStore(int maxJobs, Duration ttl) {
    this.maxJobs = maxJobs;
    this.ttlNanos = ttl.toNanos();
  }

  /** One job: its result (the response body), and when it was made. */
  record Job(String id, CompletableFuture<byte[]> result, long createdNanos) {
  }

  synchronized String add(CompletableFuture<byte[]> result) {
    evict();
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    String id = HexFormat.of().formatHex(random);
    jobs.put(id, new Job(id, result, System.nanoTime()));
    return id;
  }

  synchronized Optional<Job> get(String id) {
    evict();
    return Optional.ofNullable(jobs.get(id));
  }

  synchronized int size() {
    return jobs.size();
  }

  private void evict() {
    long now = System.nanoTime();
    int finished = 0;
    for (Iterator<Job> it = jobs.values().iterator(); it.hasNext();) {
      Job j = it.next();
      if (j.result().isDone()) {
        if (now - j.createdNanos() > ttlNanos) {
          it.remove();
        } else {
          finished++;
        }
      }
    }
    for (Iterator<Job> it = jobs.values().iterator(); it.hasNext() && finished >= maxJobs;) {
      if (it.next().result().isDone()) {
        it.remove();
        finished--;
      }
    }
  }
}
