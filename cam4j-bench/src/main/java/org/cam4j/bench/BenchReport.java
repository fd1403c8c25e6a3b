package org.cam4j.bench;

import java.util.List;

/**
 * One bench run.
 *
 * @param command how it was started, JVM flags included, for the report's reader to rerun
 * @param heapPreTouched whether the timing JVM ran with a fixed, pre-touched heap
 * @param soak null when skipped
 */
record BenchReport(String date, String command, boolean heapPreTouched, MachineInfo machine,
    Settings settings, List<ModelReport> models, SoakReport soak) {
}
