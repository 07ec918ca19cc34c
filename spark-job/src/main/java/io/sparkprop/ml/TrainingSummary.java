// What a fit measured: the CLI's summary.json values and metrics.csv rows, kept on the fitted model.
package io.sparkprop.ml;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sparkprop.trainer.train.EpochRecord;

/** Not persisted with the model (as with Spark's own summaries): a loaded model has none. */
public class TrainingSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Object> values;
    private final List<EpochRecord> epochs;

    TrainingSummary(TrainingSummary s) {
        this(s.values, s.epochs);
    }

    TrainingSummary(Map<String, Object> values, List<EpochRecord> epochs) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.epochs = List.copyOf(epochs);
    }

    /** Every summary.json field of the run (train_loss, val_accuracy or val_r2, steps, partitions, ...). */
    public Map<String, Object> values() {
        return values;
    }

    /** One record per epoch: train and validation loss, validation metric, learning rate, time split. */
    public List<EpochRecord> epochs() {
        return epochs;
    }

    /** The training loss of every epoch, in order. */
    public double[] trainLosses() {
        return epochs.stream().mapToDouble(EpochRecord::trainLoss).toArray();
    }

    /**
     * MLlib's name for the training loss of every epoch: for lbfgs the objective after each iteration (mean loss
     * plus ½λ‖W‖²), for the per-step optimizers the mean loss of the epoch's batches, each before its step.
     */
    public double[] objectiveHistory() {
        return trainLosses();
    }

    /** Epochs trained (iterations for lbfgs, which may stop before train.epochs once converged). */
    public int totalIterations() {
        return epochs.size();
    }

    /** The last epoch's validation metric (accuracy, or R² for regression); NaN without a validation split. */
    public double validationMetric() {
        return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).valMetric();
    }

    /** SHA-256 of the trained weights, as the CLI's summary.json and model.json report it. */
    public String weightsSha256() {
        return (String) values.get("weights_sha256");
    }

    /** The last epoch's time split of the Spark engine (e.g. compute / sync shares), or "". */
    public String timeSplit() {
        return epochs.isEmpty() ? "" : epochs.get(epochs.size() - 1).timeSplit();
    }

    public double trainSeconds() {
        return ((Number) values.get("train_seconds")).doubleValue();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
