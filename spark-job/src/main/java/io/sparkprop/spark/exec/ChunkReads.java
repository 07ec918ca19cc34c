// Counts where the tasks found the chunks they read: in their executor's memory, on its disk, or on another's.
package io.sparkprop.spark.exec;

import java.io.Serializable;

import org.apache.spark.SparkContext;
import org.apache.spark.executor.DataReadMethod$;
import org.apache.spark.util.LongAccumulator;

import scala.Enumeration;

/**
 * Three Spark accumulators, carried in the step tasks' closures: reads from memory and from disk show the spill at
 * work; reads over the network are tasks that ran away from their chunks (the driver protocol places its tasks
 * by the cached chunk refs, so these stay at 0 unless an executor is lost or busy). Only successful tasks count.
 */
public final class ChunkReads implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LongAccumulator memory;
    private final LongAccumulator disk;
    private final LongAccumulator network;

    public ChunkReads(SparkContext sc, String name) {
        memory = sc.longAccumulator("sparkprop " + name + " chunk reads from memory");
        disk = sc.longAccumulator("sparkprop " + name + " chunk reads from disk");
        network = sc.longAccumulator("sparkprop " + name + " chunk reads from other executors");
    }

    void add(Enumeration.Value method) {
        if (method == DataReadMethod$.MODULE$.Memory()) {
            memory.add(1);
        } else if (method == DataReadMethod$.MODULE$.Disk()) {
            disk.add(1);
        } else {
            network.add(1);
        }
    }

    /** {from memory, from disk, from other executors} so far (on the driver). */
    public long[] counts() {
        return new long[] {memory.value(), disk.value(), network.value()};
    }
}
