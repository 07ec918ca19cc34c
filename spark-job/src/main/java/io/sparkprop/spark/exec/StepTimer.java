// How the wall time of Spark steps splits into phases: the core both protocols' timers share.
package io.sparkprop.spark.exec;

/**
 * Each protocol has its own timer ({@link DriverStepTimer}, and the barrier protocol's), measuring the phases its
 * steps have. All of them count the executors' compute (the tasks' mean, as they report it) and the driver's
 * update; the rest of a step is the protocol's own overhead ("sync"), kept over the whole run for summary.json
 * ({@link #syncMsPerStep}). The progress line gets the phases since its last call ({@link #reportAndReset}).
 */
public abstract class StepTimer {
    /** Since the last report: the tasks' mean compute and the driver's update, in milliseconds. */
    protected double computeMs;
    protected double updateMs;
    private double totalSyncMs;
    private long totalSteps;

    /** Over the run: {@code steps} more steps, which spent {@code syncMs} neither computing nor updating. */
    protected final void addToRun(double syncMs, long steps) {
        totalSyncMs += syncMs;
        totalSteps += steps;
    }

    /** Milliseconds per step spent neither computing nor updating, over the run (see each protocol's timer). */
    public final double syncMsPerStep() {
        return totalSteps == 0 ? 0 : totalSyncMs / totalSteps;
    }

    /** The phases since the last call, e.g. "compute 1.20s sync 0.30s update 0.05s"; starts counting again. */
    public final String reportAndReset() {
        String s = report();
        computeMs = 0;
        updateMs = 0;
        reset();
        return s;
    }

    /** The phases since the last report, in seconds. */
    protected abstract String report();

    /** Forgets this protocol's own phases since the last report. */
    protected abstract void reset();
}
