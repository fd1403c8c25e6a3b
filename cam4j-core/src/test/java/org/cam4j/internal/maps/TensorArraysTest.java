package org.cam4j.internal.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/** The tensor's own array for cam4j's read-only loops; callers still get copies. */
class TensorArraysTest {
  @Test
  void readsTheTensorsArrayWithoutCopying() {
    FloatTensor t = FloatTensor.of(new long[] {2, 2}, new float[] {1, 2, 3, 4});
    assertSame(TensorArrays.readOnly(t), TensorArrays.readOnly(t));
    assertArrayEquals(new float[] {1, 2, 3, 4}, TensorArrays.readOnly(t));
    assertNotSame(TensorArrays.readOnly(t), t.toArray());
  }

  @Test
  void onlyFloatTensorRegistersTheAccessor() {
    FloatTensor.of(new long[] {1}, new float[] {0});
    assertThrows(IllegalStateException.class, () -> TensorArrays.register(t -> new float[0]));
  }
}
