// Splits the wall time of Spark steps into executors' compute, aggregation, driver update and broadcast.
package io.sparkprop.spark;

/**
 * Driver protocol: compute = mean task compute time (reported by the tasks themselves); aggregation = the rest of
 * the job (scheduling, serialisation, the fixed-order sum, and the wait for the slowest task); update = driver
 * time between two steps (optimizer); broadcast = creating the weights broadcast.
 * Barrier protocol: compute = the tasks' mean compute; update = the driver's sum and optimizer step; sync = the
 * rest of the epoch's wall time (moving partial sums and θ, waiting for the slowest task, starting the job).
 */
final class StepTimer {
    private long stepStart;
    private long broadcastEnd;
    private long lastStepEnd;
    private double computeMs;
    private double aggregateMs;
    private double updateMs;
    private double broadcastMs;
    private double syncMs;
    private boolean barrier;
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

    /** A barrier epoch: its wall time, the tasks' mean compute time and the driver's update time. */
    void epochDone(double wallMs, double compute, double update) {
        barrier = true;
        computeMs += compute;
        updateMs += update;
        syncMs += Math.max(0, wallMs - compute - update);
    }

    String reportAndReset() {
        String s = barrier
                ? String.format("compute %.2fs sync %.2fs update %.2fs", computeMs / 1e3, syncMs / 1e3,
                        updateMs / 1e3)
                : String.format("compute %.2fs agg %.2fs update %.2fs bcast %.2fs",
                        computeMs / 1e3, aggregateMs / 1e3, updateMs / 1e3, broadcastMs / 1e3);
        computeMs = aggregateMs = updateMs = broadcastMs = syncMs = 0;
        lastStepEnd = 0;
        return s;
    }
}
