// A classifier's metrics on a scored DataFrame, with the methods of MLlib's ClassificationSummary (Spark's own maths).
package io.sparkprop.ml;

import java.io.Serializable;
import java.util.Arrays;

import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

import scala.Tuple2;

/**
 * What {@code model.evaluate(df)} returns, and what a fit's summary adds to {@link TrainingSummary}: every number
 * comes from Spark's {@link MulticlassMetrics} over (prediction, label), computed once on first use, so they equal
 * MulticlassClassificationEvaluator's. "By label" arrays follow {@link #labels()} (ascending).
 */
public class ClassificationSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient SparkpropClassificationModel model;
    private final transient Dataset<?> data;
    private transient Dataset<Row> predictions;
    private transient MulticlassMetrics metrics;

    /** Scores {@code data} with {@code model} on first use (after a fit has copied its params onto the model). */
    ClassificationSummary(SparkpropClassificationModel model, Dataset<?> data) {
        this.model = model;
        this.data = data;
    }

    /** The scored rows: the input with the model's prediction, probability and rawPrediction columns. */
    public Dataset<Row> predictions() {
        if (predictions == null) {
            predictions = model.transform(data);
        }
        return predictions;
    }

    public String labelCol() {
        return model.getLabelCol();
    }

    public String predictionCol() {
        return model.getPredictionCol();
    }

    private MulticlassMetrics metrics() {
        if (metrics == null) {
            var pairs = predictions().select(functions.col(predictionCol()).cast(DataTypes.DoubleType),
                    functions.col(labelCol()).cast(DataTypes.DoubleType)).javaRDD()
                    .map(r -> new Tuple2<Object, Object>(r.getDouble(0), r.getDouble(1)));
            metrics = new MulticlassMetrics(pairs.rdd());
        }
        return metrics;
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
