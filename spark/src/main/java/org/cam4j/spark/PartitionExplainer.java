package org.cam4j.spark;

import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The task body: borrows this JVM's explainer for the whole partition (returned when the task
 * ends, never closed by it) and maps the rows one by one as Spark pulls them.
 */
final class PartitionExplainer implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;

  private final ModelShipment shipment;
  private final RowExplainer rows;

  PartitionExplainer(ModelShipment shipment, RowExplainer rows) {
    this.shipment = shipment;
    this.rows = rows;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    ExplainerCache.Lease lease = shipment.borrow();
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> lease.close());
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = input.hasNext();
        if (!more && task == null) {
          lease.close();
        }
        return more;
      }

      @Override
      public Row next() {
        return rows.explain(input.next(), lease.explainer());
      }
    };
  }
}
