// Where a train run's rows are read: for the Spark engine Parquet, CSV and LIBSVM on the executors; else on the driver.
package io.sparkprop.cli;

import java.io.PrintStream;
import java.util.function.Supplier;

import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.data.ExecutorInput;
import io.sparkprop.spark.data.FrameInput;
import io.sparkprop.trainer.config.EngineKind;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.train.PreparedData;
import io.sparkprop.trainer.train.TrainingData;

/**
 * For the Spark engine the engine factory is resolved before the executors read a row, so they read straight
 * into its partitions and a barrier protocol that cannot run is refused first. Rows loaded on the driver (IDX,
 * builtin data) are loaded, and so checked, before Spark starts.
 */
final class RunData {
    private RunData() {
    }

    /** {@code spark} starts or joins the context on first call and resolves the run's engine factory on it. */
    static TrainingData prepare(TrainConfig c, Supplier<EngineFactory> spark, PrintStream log) {
        if (c.engineKind() == EngineKind.LOCAL) {
            return PreparedData.load(c, log);
        }
        if (c.format() == DataFormat.PARQUET) { // TrainConfig checked: train.engine = spark, eval.folds = 1
            EngineFactory f = spark.get();
            return FrameInput.readParquet(f.context(), c, f.partitions(), log);
        }
        if (ExecutorInput.applies(c)) {
            // Local files are checked here, so a typo costs seconds, not a Spark start-up.
            LocalInputs.requireReadable("data.train", c.dataTrain());
            if (c.hasTest()) {
                LocalInputs.requireReadable("data.test", c.dataTest());
            }
            EngineFactory f = spark.get();
            return ExecutorInput.read(f.context(), c, f.partitions(), log);
        }
        TrainingData data = PreparedData.load(c, log);
        spark.get();
        return data;
    }
}
