package org.cam4j.internal.text;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/** Levenshtein distance, and the closest names to a mistyped one for "did you mean" messages. */
public final class EditDistance {
  private EditDistance() {
  }

  public static int between(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The {@code count} items with the smallest {@code distance}, stable for ties. */
  public static <T> List<T> closest(List<T> items, ToIntFunction<T> distance, int count) {
    return items.stream().sorted(Comparator.comparingInt(distance)).limit(count).toList();
  }
}
