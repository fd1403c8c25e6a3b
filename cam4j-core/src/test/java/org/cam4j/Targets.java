package org.cam4j;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.cam4j.explain.Target;

/** Per-row target lists for batches in tests. */
public final class Targets {
  private Targets() {
  }

  /** Row i explains the logit of {@code classes[i]}. */
  public static List<Target> classes(int... classes) {
    return Arrays.stream(classes).mapToObj(Target::index).toList();
  }

  /** Every one of {@code rows} rows explains its own top class. */
  public static List<Target> top(int rows) {
    return Collections.nCopies(rows, Target.top());
  }
}
