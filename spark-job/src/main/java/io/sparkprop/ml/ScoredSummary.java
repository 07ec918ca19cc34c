// What a model's metrics on a DataFrame share: the scored rows, their columns, and Spark's metrics over them.
package io.sparkprop.ml;

import java.io.Serializable;

import org.apache.spark.ml.PredictionModel;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

import scala.Product;
import scala.Tuple2;
import scala.Tuple3;

/**
 * The base of {@link ClassificationSummary} and {@link RegressionSummary}: {@code data} is scored by the model on
 * first use, and Spark's metrics object {@code M} (MulticlassMetrics or RegressionMetrics) is built once over its
 * (prediction, label) pairs, so every number equals what Spark's evaluator computes on the same rows. When the model's
 * weightCol is set and {@code data} has that column, the metrics are built over (prediction, label, weight)
 * triples: Spark's weighted metrics, as its evaluators give them with the same weightCol.
 */
public abstract class ScoredSummary<M> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient PredictionModel<?, ?> model;
    private final transient Dataset<?> data;
    private transient Dataset<Row> predictions;
    private transient M metrics;

    /** Scores {@code data} with {@code model} on first use (after a fit has copied its params onto the model). */
    ScoredSummary(PredictionModel<?, ?> model, Dataset<?> data) {
        this.model = model;
        this.data = data;
    }

    /** Spark's metrics over (prediction, label) pairs or (prediction, label, weight) triples, all doubles. */
    abstract M metricsOf(RDD<? extends Product> predictionLabelWeight);

    /** The weight column to weight the metrics by: the model's weightCol when set and present in the data. */
    private String weightColumnOrNull() {
        if (model instanceof SparkpropParams<?> p && p.isDefined(p.weightCol())) {
            String w = p.getWeightCol();
            return java.util.Arrays.asList(data.columns()).contains(w) ? w : null;
        }
        return null;
    }

    /** The scored rows: the input with the model's prediction (a classifier's probability, rawPrediction too). */
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

    /** Built on first use, then kept. */
    final M metrics() {
        if (metrics == null) {
            String w = weightColumnOrNull();
            if (w == null) {
                var pairs = predictions().select(functions.col(predictionCol()).cast(DataTypes.DoubleType),
                        functions.col(labelCol()).cast(DataTypes.DoubleType)).javaRDD()
                        .map(r -> (Product) new Tuple2<Object, Object>(r.getDouble(0), r.getDouble(1)));
                metrics = metricsOf(pairs.rdd());
            } else {
                var triples = predictions().select(functions.col(predictionCol()).cast(DataTypes.DoubleType),
                        functions.col(labelCol()).cast(DataTypes.DoubleType),
                        functions.col(w).cast(DataTypes.DoubleType)).javaRDD()
                        .map(r -> (Product) new Tuple3<Object, Object, Object>(r.getDouble(0), r.getDouble(1),
                                r.getDouble(2)));
                metrics = metricsOf(triples.rdd());
            }
        }
        return metrics;
    }
}
