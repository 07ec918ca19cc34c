// A fit's summary with a model's metrics on the rows it was fitted on: what the classifier's and regressor's share.
package io.sparkprop.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@link TrainingSummary} beside the {@link ScoredSummary} {@code S} of the DataFrame the model was fitted on
 * (validation rows included, as MLlib has no validation split); each subclass hands on the metric methods of
 * MLlib's training summary to {@link #metrics}.
 */
public abstract class ScoredTrainingSummary<S extends ScoredSummary<?>> extends TrainingSummary {
    private static final long serialVersionUID = 1L;

    final S metrics;

    ScoredTrainingSummary(TrainingSummary run, S metrics) {
        super(run);
        this.metrics = metrics;
    }

    public Dataset<Row> predictions() { return metrics.predictions(); }
    public String labelCol() { return metrics.labelCol(); }
    public String predictionCol() { return metrics.predictionCol(); }
}
