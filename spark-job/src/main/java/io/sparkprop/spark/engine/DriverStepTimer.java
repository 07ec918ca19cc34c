// spark.protocol = driver's step timer: broadcast, the job (compute and aggregation), the driver's update.
package io.sparkprop.spark.engine;

import io.sparkprop.spark.exec.StepTimer;

/**
 * Per step: broadcast = creating the θ broadcast; compute = mean task compute time (reported by the tasks
 * themselves); aggregation = the rest of the job (scheduling, serialisation, the tree sum, and the wait for the
 * slowest task); update = driver time between two steps (the optimizer). Sync, over the run, is aggregation plus
 * broadcast.
 */
final class DriverStepTimer extends StepTimer {
    private final int partitions;
    private long stepStart;
    private long broadcastEnd;
    private long lastStepEnd;
    private double aggregateMs;
    private double broadcastMs;

    DriverStepTimer(int partitions) {
        this.partitions = Math.max(1, partitions);
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
        double agg = Math.max(0, jobMs - compute);
        computeMs += compute;
        aggregateMs += agg;
        addToRun(agg + (broadcastEnd - stepStart) / 1e6, 1);
    }

    @Override
    protected String report() {
        return String.format("compute %.2fs agg %.2fs update %.2fs bcast %.2fs", computeMs / 1e3, aggregateMs / 1e3,
                updateMs / 1e3, broadcastMs / 1e3);
    }

    @Override
    protected void reset() {
        aggregateMs = 0;
        broadcastMs = 0;
        lastStepEnd = 0;
    }
}
