// A network trained by SparkpropTraining: predictions for single vectors, and the CLI's model files.
package io.sparkprop.ml;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.ml.linalg.Vector;

import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.model.ModelIO;

/** Serializable, so it can be used inside a map over an RDD (for many rows, broadcast it once). */
public final class TrainedNetwork implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Model model;
    private final TrainingSummary summary;
    private transient Scorer scorer;

    TrainedNetwork(Model model, TrainingSummary summary) {
        this.model = model;
        this.summary = summary;
    }

    /** A model saved by `sparkprop train` (OUT/model), by {@link #save}, or inside a Spark ML model (PATH/sparkprop). */
    public static TrainedNetwork load(String dir) {
        return new TrainedNetwork(ModelIO.load(ModelFiles.modelDir(Path.of(dir))), null);
    }

    /** Writes the CLI's model files (model.json, weights.bin) into {@code dir}. */
    public void save(String dir) {
        try {
            ModelIO.save(model, Path.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Scorer scorer() {
        if (scorer == null) scorer = new Scorer(model);
        return scorer;
    }

    public boolean isClassification() {
        return model.isClassification();
    }

    /** Class names in index order (the label values as the data spelled them), or null for regression. */
    public List<String> classNames() {
        return model.classNames();
    }

    public int numFeatures() {
        return model.features();
    }

    /** Classification: the index of the most probable class in {@link #classNames}; regression: the value. */
    public double predict(Vector features) {
        return isClassification() ? Scorer.argmax(scorer().probabilities(features)) : scorer().outputs(features)[0];
    }

    /** The most probable class's name (classification only). */
    public String predictClass(Vector features) {
        return classNames().get((int) predict(features));
    }

    /** One probability per class, in {@link #classNames} order (classification only). */
    public double[] probabilities(Vector features) {
        if (!isClassification()) {
            throw new IllegalStateException("probabilities: a regression network has none");
        }
        return scorer().probabilities(features);
    }

    /** The fit's metrics; null for a loaded network. */
    public TrainingSummary summary() {
        return summary;
    }

    public Model sparkpropModel() {
        return model;
    }
}
