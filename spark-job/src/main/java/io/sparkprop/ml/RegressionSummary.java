// A regressor's metrics on a scored DataFrame, with the methods of MLlib's RegressionSummary (Spark's own maths).
package io.sparkprop.ml;

import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;

/**
 * What {@code model.evaluate(df)} returns and a regressor fit's summary adds: Spark's {@link RegressionMetrics}
 * over (prediction, label), computed once on first use, so the numbers equal RegressionEvaluator's.
 */
public class RegressionSummary extends ScoredSummary<RegressionMetrics> {
    private static final long serialVersionUID = 1L;

    RegressionSummary(SparkpropRegressionModel model, Dataset<?> data) {
        super(model, data);
    }

    @Override
    RegressionMetrics metricsOf(RDD<? extends scala.Product> predictionLabelWeight) {
        return new RegressionMetrics(predictionLabelWeight);
    }

    public double rootMeanSquaredError() {
        return metrics().rootMeanSquaredError();
    }

    public double meanSquaredError() {
        return metrics().meanSquaredError();
    }

    public double meanAbsoluteError() {
        return metrics().meanAbsoluteError();
    }

    public double r2() {
        return metrics().r2();
    }

    public double explainedVariance() {
        return metrics().explainedVariance();
    }

    /** Rows scored. */
    public long numInstances() {
        return metrics().count();
    }
}
