// Extension points of a training run that live outside the pure engine (plots, Spark engines).
package io.sparkprop.trainer.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Network;

/** The CLI supplies these: the Spark module builds Spark engines and draws curves.png with XChart. */
public interface RunHooks {

    /** Loads, checks, splits and scales the run's data; by default onto the driver. */
    default TrainingData prepare(TrainConfig cfg, PrintStream log) {
        return PreparedData.load(cfg, log);
    }

    /** True when {@link #prepare}'s data brings its own validation rows (data.validation-fraction may be 0). */
    default boolean ownValidationSplit() {
        return false;
    }

    /** An engine over data from {@link #prepare}, or over a CV fold's {@link PreparedData}. */
    Engine engine(Network net, TrainingData data, BatchPlan plan);

    /**
     * Where the run's checkpoints go (checkpoint.dir, default OUT/checkpoints). Called after {@link #engine}, so a
     * Spark implementation can use its context's Hadoop configuration. Default: a local folder.
     */
    default CheckpointStore checkpointStore(TrainConfig cfg, Path out) {
        return new LocalCheckpointStore(cfg.checkpointDir(out));
    }

    /** Extra summary.json fields of the engine (e.g. partitions, spark_master). */
    default Map<String, Object> summaryExtras() {
        return Map.of();
    }

    /** Called once the run's files are written, e.g. to draw curves.png. */
    default void afterRun(Path out, List<EpochRecord> history, boolean classification) {
    }
}
