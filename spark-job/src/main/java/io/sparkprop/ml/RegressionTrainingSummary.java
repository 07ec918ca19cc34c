// A regressor fit's summary: the run's measurements plus MLlib's regression metrics on the training rows.
package io.sparkprop.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** {@link TrainingSummary} with {@link RegressionSummary}'s methods on the DataFrame the model was fitted on. */
public final class RegressionTrainingSummary extends TrainingSummary {
    private static final long serialVersionUID = 1L;

    private final RegressionSummary metrics;

    RegressionTrainingSummary(TrainingSummary run, RegressionSummary metrics) {
        super(run);
        this.metrics = metrics;
    }

    public Dataset<Row> predictions() { return metrics.predictions(); }
    public double rootMeanSquaredError() { return metrics.rootMeanSquaredError(); }
    public double meanSquaredError() { return metrics.meanSquaredError(); }
    public double meanAbsoluteError() { return metrics.meanAbsoluteError(); }
    public double r2() { return metrics.r2(); }
    public double explainedVariance() { return metrics.explainedVariance(); }
    public long numInstances() { return metrics.numInstances(); }
}
