// spark.protocol = barrier's step timer: the tasks' compute, the driver's update, and the rest of the epoch.
package io.sparkprop.spark.barrier;

import io.sparkprop.spark.exec.StepTimer;

/**
 * Per epoch: compute = the tasks' mean compute (with the forward pass's waits for θ still coming down, see
 * {@link Downward}); update = the driver's time between taking a step's sum and
 * publishing the θ that answers it (the optimizer); sync = the rest of the epoch's wall time (moving sums up and
 * θ down the tree, waiting for the slowest task, starting the job, the validation statistics).
 */
final class BarrierStepTimer extends StepTimer {
    private double syncMs;

    /** An epoch: its wall time, the tasks' mean compute time, the driver's update time, the steps applied. */
    void epochDone(double wallMs, double compute, double update, int steps) {
        double sync = Math.max(0, wallMs - compute - update);
        computeMs += compute;
        updateMs += update;
        syncMs += sync;
        addToRun(sync, steps);
    }

    @Override
    protected String report() {
        return String.format("compute %.2fs sync %.2fs update %.2fs", computeMs / 1e3, syncMs / 1e3,
                updateMs / 1e3);
    }

    @Override
    protected void reset() {
        syncMs = 0;
    }
}
