// Options shared by evaluate and predict: the saved model, the data to score, --verbose.
package io.sparkprop.cli;

import java.nio.file.Path;

import io.sparkprop.ml.ModelFiles;
import io.sparkprop.spark.score.SparkScoring;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.model.ModelIO;
import picocli.CommandLine.Option;

/** A picocli mixin; {@link #model()} loads (and checksums) the model once. */
final class ModelInput {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (OUT/model, or a model saved from Spark ML).")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Data file or builtin:name.")
    String data;

    @Option(names = "--verbose", description = "Print stack traces.")
    boolean verbose;

    private Model model;

    Model model() {
        if (model == null) {
            model = ModelIO.load(ModelFiles.modelDir(modelDir));
        }
        return model;
    }

    /** Checks, before Spark starts, that the data is a readable file in a format the executors parse. */
    void checkForSpark() {
        LocalInputs.requireReadable("--data", data);
        SparkScoring.formatOf(data, ModelData.config(model()));
    }
}
