package org.cam4j.bench;

/**
 * One timed case: a call that processes {@code batch} images.
 *
 * @param target the ceiling on its ratio to the plain forward, or null when the issue sets none
 * @param plain whether this is the plain forward the other cases of its batch are compared to
 */
public record Workload(String name, int batch, Target target, boolean plain, Runnable body) {
  public static Workload plain(int batch, Runnable body) {
    return new Workload("plain forward (baseline)", batch, null, true, body);
  }

  public static Workload of(String name, int batch, Target target, Runnable body) {
    return new Workload(name, batch, target, false, body);
  }
}
