package org.cam4j.server;

/**
 * Heap the server's accepted work may hold, in bytes: requests reserve their share before their
 * body is read and finished jobs keep their results charged until they are dropped. A request
 * that does not fit is refused; a finished result is charged whether it fits or not (it exists
 * already), which then refuses new requests until results are dropped.
 */
final class MemoryBudget {
  private final long budget;
  private long used;

  MemoryBudget(long budget) {
    this.budget = budget;
  }

  /** Takes {@code bytes} when they fit in what is left, else takes nothing. */
  synchronized boolean tryTake(long bytes) {
    if (used + bytes > budget) {
      return false;
    }
    used += bytes;
    return true;
  }

  /** Whether {@code bytes} more would fit now. */
  synchronized boolean fits(long bytes) {
    return used + bytes <= budget;
  }

  /** Takes {@code bytes} even past the budget. */
  synchronized void take(long bytes) {
    used += bytes;
  }

  synchronized void give(long bytes) {
    used -= bytes;
  }

  synchronized long used() {
    return used;
  }

  long budget() {
    return budget;
  }
}
