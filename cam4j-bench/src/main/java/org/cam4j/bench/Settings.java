package org.cam4j.bench;

/**
 * How long the bench runs.
 *
 * @param warmupRounds round-robin rounds run before measuring
 * @param measuredRounds timed rounds: samples per case
 * @param coldIterations fresh models loaded per cold case
 * @param rssIterations calls each memory child makes before reading its peak RSS
 * @param rssProcesses memory children per process kind
 * @param soakExplanations explanations in the soak; 0 skips it
 */
record Settings(boolean quick, int warmupRounds, int measuredRounds, int coldIterations,
    int rssIterations, int rssProcesses, int soakExplanations) {

  static Settings fullRun() {
    return new Settings(false, 3, 20, 5, 200, 3, 10_000);
  }

  /** A smoke run: every code path once or twice, figures not meaningful. */
  static Settings quickRun() {
    return new Settings(true, 1, 3, 1, 10, 1, 200);
  }

  Settings withMeasuredRounds(int rounds) {
    return new Settings(quick, warmupRounds, rounds, coldIterations, rssIterations,
        rssProcesses, soakExplanations);
  }

  Settings withSoak(int explanations) {
    return new Settings(quick, warmupRounds, measuredRounds, coldIterations, rssIterations,
        rssProcesses, explanations);
  }
}
