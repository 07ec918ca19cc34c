// Splits the wall time of Spark steps into executors' compute, exchange, driver update and broadcast.
package io.sparkprop.spark.exec;

/**
 * Driver protocol: compute = mean task compute time (reported by the tasks themselves); aggregation = the rest of
 * the job (scheduling, serialisation, the tree sum, and the wait for the slowest task); update = driver time
 * between two steps (optimizer); broadcast = creating the weights broadcast.
 * Barrier protocol: compute = the tasks' mean compute; update = the driver's optimizer step; sync = the rest of
 * the epoch's wall time (moving sums up and θ down the tree, waiting for the slowest task, starting the job).
 * Besides the per-epoch report it keeps run totals for summary.json ({@link #syncMsPerStep}).
 */
public final class StepTimer {
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
    private double totalSyncMs;
    private long totalSteps;

    public void setPartitions(int p) {
        partitions = Math.max(1, p);
    }

    public void beginStep() {
        stepStart = System.nanoTime();
        if (lastStepEnd != 0) {
            updateMs += (stepStart - lastStepEnd) / 1e6;
        }
    }

    public void broadcastDone() {
        broadcastEnd = System.nanoTime();
        broadcastMs += (broadcastEnd - stepStart) / 1e6;
    }

    /** @param taskComputeMsSum compute milliseconds summed over the step's tasks */
    public void stepDone(double taskComputeMsSum) {
        lastStepEnd = System.nanoTime();
        double jobMs = (lastStepEnd - broadcastEnd) / 1e6;
        double compute = taskComputeMsSum / partitions;
        double agg = Math.max(0, jobMs - compute);
        computeMs += compute;
        aggregateMs += agg;
        totalSyncMs += agg + (broadcastEnd - stepStart) / 1e6;
        totalSteps++;
    }

    /** A barrier epoch: its wall time, the tasks' mean compute time, the driver's update time, steps applied. */
    public void epochDone(double wallMs, double compute, double update, int steps) {
        barrier = true;
        double sync = Math.max(0, wallMs - compute - update);
        computeMs += compute;
        updateMs += update;
        syncMs += sync;
        totalSyncMs += sync;
        totalSteps += steps;
    }

    /**
     * Milliseconds per step spent neither computing nor updating, over the run: the barrier protocol's sync,
     * or the driver protocol's aggregation plus broadcast.
     */
    public double syncMsPerStep() {
        return totalSteps == 0 ? 0 : totalSyncMs / totalSteps;
    }

    public String reportAndReset() {
        String s = barrier
                ? String.format("compute %.2fs sync %.2fs update %.2fs", computeMs / 1e3, syncMs / 1e3,
                        updateMs / 1e3)
                : String.format("compute %.2fs agg %.2fs update %.2fs bcast %.2fs",
                        computeMs / 1e3, aggregateMs / 1e3, updateMs / 1e3, broadcastMs / 1e3);
        computeMs = aggregateMs = updateMs = broadcastMs = syncMs = 0;
        lastStepEnd = 0;
        barrier = false;
        return s;
    }
}
