// A regressor fit's summary: the run's measurements plus MLlib's regression metrics on the training rows.
package io.sparkprop.ml;

/** {@link TrainingSummary} with {@link RegressionSummary}'s methods on the DataFrame the model was fitted on. */
public final class RegressionTrainingSummary extends ScoredTrainingSummary<RegressionSummary> {
    private static final long serialVersionUID = 1L;

    RegressionTrainingSummary(TrainingSummary run, RegressionSummary metrics) {
        super(run, metrics);
    }

    public double rootMeanSquaredError() { return metrics.rootMeanSquaredError(); }
    public double meanSquaredError() { return metrics.meanSquaredError(); }
    public double meanAbsoluteError() { return metrics.meanAbsoluteError(); }
    public double r2() { return metrics.r2(); }
    public double explainedVariance() { return metrics.explainedVariance(); }
    public long numInstances() { return metrics.numInstances(); }
}
