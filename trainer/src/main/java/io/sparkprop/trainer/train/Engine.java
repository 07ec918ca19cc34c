// What the training loop asks of an engine: gradient sums of planned batches and evaluation statistics.
package io.sparkprop.trainer.train;

import io.sparkprop.trainer.optim.Updater;

/**
 * Implemented in-process ({@link LocalEngine}) and on Spark. The loop on the driver owns the parameters and
 * the optimizer: an engine runs an epoch's steps on the loop's thread with the loop's own {@link Updater}, every
 * step through {@link Step#epoch}, and only that thread steps θ or touches the optimizer's state (it may cut an
 * update's elementwise loops into ranges on helper threads and waits for them; other threads may read θ to ship
 * it, as the barrier protocol's socket does). Gradient sums and evaluations are pure functions of their
 * arguments, which is what makes runs reproducible and resumable.
 */
public interface Engine extends AutoCloseable, Step.Sums {

    enum Split { TRAIN, VALIDATION, TEST }

    /**
     * Runs the steps of {@code epoch} with {@code updater}, stepping params and the updater's optimizer in place on
     * the calling thread. On return they are those after the last step applied; the arrays stop at the first step
     * that was not finite.
     *
     * @param globalStep the run's 0-based step count at the start of the epoch (for the schedule)
     */
    EpochSteps trainEpoch(double[] params, Updater updater, int epoch, long globalStep);

    /**
     * Σ loss and Σ gradient of planned batch (epoch, step) at θ, without stepping: what {@link LbfgsEpochs}'s line
     * search asks for, by the same code path as a training step's sums.
     */
    @Override
    double lossAndGradient(double[] params, int epoch, int step, double[] gradSum);

    /** Metrics statistics ({@link io.sparkprop.trainer.eval.Metrics} layout) of a split, or null if absent. */
    double[] evaluate(double[] params, Split split);

    BatchPlan plan();

    /** The GEMM kernel that ran ("ojalgo", "blas-native", ...). */
    String backend();

    /** How the engine runs, for the first progress line (e.g. partitions and protocol); empty if nothing to say. */
    default String details() {
        return "";
    }

    /** Milliseconds spent since the last call, by phase, for the progress line. Empty when not measured. */
    default String timeSplit() {
        return "";
    }

    @Override
    default void close() {
    }
}
