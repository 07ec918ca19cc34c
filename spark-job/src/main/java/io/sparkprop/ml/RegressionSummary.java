// A regressor's metrics on a scored DataFrame, with the methods of MLlib's RegressionSummary (Spark's own maths).
package io.sparkprop.ml;

import java.io.Serializable;

import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

import scala.Tuple2;

/**
 * What {@code model.evaluate(df)} returns and a regressor fit's summary adds: Spark's {@link RegressionMetrics}
 * over (prediction, label), computed once on first use, so the numbers equal RegressionEvaluator's.
 */
public class RegressionSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient SparkpropRegressionModel model;
    private final transient Dataset<?> data;
    private transient Dataset<Row> predictions;
    private transient RegressionMetrics metrics;

    /** Scores {@code data} with {@code model} on first use (after a fit has copied its params onto the model). */
    RegressionSummary(SparkpropRegressionModel model, Dataset<?> data) {
        this.model = model;
        this.data = data;
    }

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

    private RegressionMetrics metrics() {
        if (metrics == null) {
            var pairs = predictions().select(functions.col(predictionCol()).cast(DataTypes.DoubleType),
                    functions.col(labelCol()).cast(DataTypes.DoubleType)).javaRDD()
                    .map(r -> new Tuple2<Object, Object>(r.getDouble(0), r.getDouble(1)));
            metrics = new RegressionMetrics(pairs.rdd());
        }
        return metrics;
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
