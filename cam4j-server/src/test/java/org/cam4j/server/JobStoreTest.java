package org.cam4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Finished jobs: trimmed as soon as they finish (not only when another job is added or read)
 * and their results charged to the memory budget that admission draws on.
 */
class JobStoreTest {
  @Test
  void finishedJobsAreTrimmedOnCompletionAndChargedToTheBudget() {
    MemoryBudget memory = new MemoryBudget(1000);
    JobStore store = new JobStore(2, Duration.ofDays(1), memory);
    CompletableFuture<byte[]> a = new CompletableFuture<>();
    CompletableFuture<byte[]> b = new CompletableFuture<>();
    CompletableFuture<byte[]> c = new CompletableFuture<>();
    String idA = store.add(a);
    String idB = store.add(b);
    String idC = store.add(c);
    assertEquals(0, memory.used(), "running jobs hold no result");
    a.complete(new byte[100]);
    b.complete(new byte[100]);
    assertEquals(200, memory.used());
    c.complete(new byte[100]);
    // three finished, two kept: the oldest went when the third finished
    assertEquals(2, store.size());
    assertEquals(200, memory.used());
    assertFalse(store.delete(idA), "the oldest was dropped");
    // a result that does not fit pushes out the oldest finished ones first
    CompletableFuture<byte[]> d = new CompletableFuture<>();
    String idD = store.add(d);
    d.complete(new byte[900]);
    assertEquals(1000, memory.used());
    assertFalse(store.delete(idB));
    assertEquals(2, store.size());
    // deleting a job gives its result's memory back
    assertTrue(store.delete(idC));
    assertEquals(900, memory.used());
    assertTrue(store.delete(idD));
    assertEquals(0, memory.used());
    assertEquals(0, store.size());
  }

  @Test
  void heldResultsRefuseAdmissionUntilDropped() {
    // budget: one request's share (2 x 1000 + 1 MiB) plus a little
    long share = ServerConfig.perRequestBytes(1000);
    ServerConfig config = ServerConfig.builder().workers(1).queueSize(4)
        .memoryBudget(share + 4096).build();
    MemoryBudget memory = new MemoryBudget(config.memoryBudget());
    JobStore store = new JobStore(64, Duration.ofDays(1), memory);
    try (WorkerPool pool = new WorkerPool(config, memory)) {
      pool.reserve(1000).release();
      CompletableFuture<byte[]> job = new CompletableFuture<>();
      String id = store.add(job);
      job.complete(new byte[8192]);
      ApiException busy = assertThrows(ApiException.class, () -> pool.reserve(1000));
      assertEquals(503, busy.status());
      assertTrue(busy.getMessage().contains("memory budget"), busy.getMessage());
      assertTrue(store.delete(id));
      pool.reserve(1000).release();
    }
  }

  @Test
  void deletingARunningJobCancelsIt() {
    JobStore store = new JobStore(4, Duration.ofDays(1), new MemoryBudget(1000));
    CompletableFuture<byte[]> running = new CompletableFuture<>();
    String id = store.add(running);
    assertTrue(store.delete(id));
    assertTrue(running.isCancelled());
    assertFalse(store.get(id).isPresent());
  }
}
