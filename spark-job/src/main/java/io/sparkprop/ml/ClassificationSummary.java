// A classifier's metrics on a scored DataFrame, with the methods of MLlib's ClassificationSummary (Spark's own maths).
package io.sparkprop.ml;

import java.util.Arrays;

import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;

/**
 * What {@code model.evaluate(df)} returns, and what a fit's summary adds to {@link TrainingSummary}: every number
 * comes from Spark's {@link MulticlassMetrics} over (prediction, label), computed once on first use, so they equal
 * MulticlassClassificationEvaluator's. "By label" arrays follow {@link #labels()} (ascending).
 */
public class ClassificationSummary extends ScoredSummary<MulticlassMetrics> {
    private static final long serialVersionUID = 1L;

    ClassificationSummary(SparkpropClassificationModel model, Dataset<?> data) {
        super(model, data);
    }

    @Override
    MulticlassMetrics metricsOf(RDD<? extends scala.Product> predictionLabelWeight) {
        return new MulticlassMetrics(predictionLabelWeight);
    }

    /** The labels seen in the label or the prediction column, ascending. */
    public double[] labels() {
        return metrics().labels();
    }

    public double accuracy() {
        return metrics().accuracy();
    }

    public double[] truePositiveRateByLabel() {
        return byLabel(metrics()::truePositiveRate);
    }

    public double[] falsePositiveRateByLabel() {
        return byLabel(metrics()::falsePositiveRate);
    }

    public double[] precisionByLabel() {
        return byLabel(metrics()::precision);
    }

    public double[] recallByLabel() {
        return byLabel(metrics()::recall);
    }

    public double[] fMeasureByLabel(double beta) {
        return byLabel(l -> metrics().fMeasure(l, beta));
    }

    public double[] fMeasureByLabel() {
        return fMeasureByLabel(1.0);
    }

    public double weightedTruePositiveRate() {
        return metrics().weightedTruePositiveRate();
    }

    public double weightedFalsePositiveRate() {
        return metrics().weightedFalsePositiveRate();
    }

    public double weightedRecall() {
        return metrics().weightedRecall();
    }

    public double weightedPrecision() {
        return metrics().weightedPrecision();
    }

    public double weightedFMeasure(double beta) {
        return metrics().weightedFMeasure(beta);
    }

    public double weightedFMeasure() {
        return metrics().weightedFMeasure();
    }

    private double[] byLabel(java.util.function.DoubleUnaryOperator f) {
        return Arrays.stream(labels()).map(f).toArray();
    }
}
