// What the training loop asks of an engine: gradient sums of planned batches and evaluation statistics.
package io.sparkprop.trainer.train;

import io.sparkprop.trainer.optim.Updater;

/**
 * Implemented in-process ({@link LocalEngine}) and on Spark. The loop on the driver owns the parameters and
 * the optimizer; an engine computes gradient sums, or through {@link #trainEpoch} runs a whole epoch's steps
 * with the loop's own {@link Updater}. Gradient sums and evaluations are pure functions of their arguments,
 * which is what makes runs reproducible and resumable.
 */
public interface Engine extends AutoCloseable {

    enum Split { TRAIN, VALIDATION, TEST }

    /** Σ loss over global batch {@code step} of {@code epoch}; gradSum (zeroed by the caller) += Σ ∂loss/∂θ. */
    double lossAndGradient(double[] params, int epoch, int step, double[] gradSum);

    /**
     * Runs all steps of {@code epoch} with {@code updater} in one go instead of one {@link #lossAndGradient} round
     * trip per step; null if this engine does not (the caller then steps itself). On return params and the
     * updater's optimizer state are those after the last step applied, bit-identical to what stepping through
     * {@link #lossAndGradient} and {@code updater.apply} would give.
     *
     * @param globalStep the run's 0-based step count at the start of the epoch (for the schedule)
     */
    default EpochSteps trainEpoch(double[] params, Updater updater, int epoch,
                                  long globalStep) {
        return null;
    }

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
