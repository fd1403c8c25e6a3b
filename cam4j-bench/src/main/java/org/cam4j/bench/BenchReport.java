package org.cam4j.bench;

import java.util.List;

/**
 * One bench run.
 *
 * @param command how it was started, for the report's reader to rerun
 * @param soak null when skipped
 */
record BenchReport(String date, String command, MachineInfo machine, Settings settings,
    List<ModelReport> models, SoakReport soak) {
}
