// What the training loop asks of an engine: gradient sums of planned batches and evaluation statistics.
package io.sparkprop.trainer.train;

/**
 * Implemented in-process ({@link LocalEngine}) and on Spark. The loop on the driver owns the parameters and
 * the optimizer; an engine only computes. Both methods are pure functions of their arguments, which is
 * what makes runs reproducible and resumable.
 */
public interface Engine extends AutoCloseable {

    enum Split { TRAIN, VALIDATION, TEST }

    /** Σ loss over global batch {@code step} of {@code epoch}; gradSum (zeroed by the caller) += Σ ∂loss/∂θ. */
    double lossAndGradient(double[] params, int epoch, int step, double[] gradSum);

    /** Metrics statistics ({@link io.sparkprop.trainer.eval.Metrics} layout) of a split, or null if absent. */
    double[] evaluate(double[] params, Split split);

    BatchPlan plan();

    /** The GEMM kernel that ran ("ojalgo", "blas-native", ...). */
    String backend();

    /** Milliseconds spent since the last call, by phase, for the progress line. Empty when not measured. */
    default String timeSplit() {
        return "";
    }

    @Override
    default void close() {
    }
}
