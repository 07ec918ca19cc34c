// θ and the optimizer state at the start of the barrier epoch in progress: where a re-run attempt starts again.
package io.sparkprop.spark.barrier;

import java.util.Arrays;

import io.sparkprop.trainer.optim.Updater;

/**
 * Kept by {@link BarrierSums}, read and written on the training thread only. Its θ is also what the tasks are
 * sent when an attempt joins ({@link StepExchange.Start#theta}), so it changes only between epochs, once no
 * connection is sending it ({@link StepExchange#awaitQuiet}).
 */
final class EpochStart {
    private final double[] theta;
    private double[] optimizer;

    /** Starts from a copy of {@code params}. */
    EpochStart(double[] params) {
        this.theta = params.clone();
    }

    /** The epoch's starting θ; not to be written. */
    double[] theta() {
        return theta;
    }

    /** Whether {@code params} is exactly the starting θ (nothing touched it since it was published). */
    boolean holds(double[] params) {
        return Arrays.equals(params, theta);
    }

    /** The optimizer's state as the epoch starts (taken at each epoch's start, so it is the loop's own). */
    void takeOptimizer(Updater updater) {
        optimizer = updater.optimizer().state();
    }

    /** After an epoch's last update: {@code params} is where the next epoch starts. */
    void takeTheta(double[] params) {
        System.arraycopy(params, 0, theta, 0, theta.length);
    }

    /** θ and the optimizer back to the start of the epoch. */
    void restore(double[] params, Updater updater) {
        System.arraycopy(theta, 0, params, 0, theta.length);
        updater.optimizer().setState(optimizer);
    }
}
