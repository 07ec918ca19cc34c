// Splits the wall time of Spark steps into executors' compute, aggregation, driver update and broadcast.
package io.sparkprop.spark;

/**
 * compute = mean task compute time (reported by the tasks themselves); aggregation = the rest of the job
 * (scheduling, serialisation, the fixed-order sum, and the wait for the slowest task); update = driver time between two steps (optimizer);
 * broadcast = creating the weights broadcast.
 */
final class StepTimer {
    private long stepStart;
    private long broadcastEnd;
    private long lastStepEnd;
    private double computeMs;
    private double aggregateMs;
    private double updateMs;
    private double broadcastMs;
    private int partitions = 1;

    void setPartitions(int p) {
        partitions = Math.max(1, p);
    }

    void beginStep() {
        stepStart = System.nanoTime();
        if (lastStepEnd != 0) {
            updateMs += (stepStart - lastStepEnd) / 1e6;
        }
    }

    void broadcastDone() {
        broadcastEnd = System.nanoTime();
        broadcastMs += (broadcastEnd - stepStart) / 1e6;
    }

    /** @param taskComputeMsSum compute milliseconds summed over the step's tasks */
    void stepDone(double taskComputeMsSum) {
        lastStepEnd = System.nanoTime();
        double jobMs = (lastStepEnd - broadcastEnd) / 1e6;
        double compute = taskComputeMsSum / partitions;
        computeMs += compute;
        aggregateMs += Math.max(0, jobMs - compute);
    }

    String reportAndReset() {
        String s = String.format("compute %.2fs agg %.2fs update %.2fs bcast %.2fs",
                computeMs / 1e3, aggregateMs / 1e3, updateMs / 1e3, broadcastMs / 1e3);
        computeMs = aggregateMs = updateMs = broadcastMs = 0;
        lastStepEnd = 0;
        return s;
    }
}
