// The Spark engine's own settings (spark.* keys, compute.backend and compute.precision of the config), apart from
// model and optimizer settings.
package io.sparkprop.spark.engine;

import io.sparkprop.trainer.config.Precision;
import io.sparkprop.trainer.config.StepProtocol;
import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.kernel.Backend;

/**
 * Built from a config by {@link #of}, the one place that reads these keys for an engine, so the CLI, sweeps, the
 * Spark ML fit and the bench cannot drift apart.
 *
 * @param partitions       spark.partitions; 0 = the context's default parallelism
 * @param treeDepth        spark.tree-depth: how the driver protocol groups its sum (never what it adds up to)
 * @param storageLevel     spark.storage-level of the cached blocks
 * @param protocol         spark.protocol: auto | driver | barrier
 * @param backend          compute.backend on the executors
 * @param runName          shown in Spark UI job descriptions
 * @param failFirstAttempt test hook {epoch, step, partition} whose first task attempt throws, or null; set only
 *                         through {@link #failingFirstAttemptAt}
 * @param float32          compute.precision = float32: θ travels as floats, the summed gradient reaches the
 *                         optimizer rounded to float
 */
public record SparkSettings(int partitions, int treeDepth, StorageChoice storageLevel, StepProtocol protocol,
                            Backend backend, String runName, int[] failFirstAttempt, boolean float32) {

    /** The settings {@code cfg} gives a run named {@code runName}. */
    public static SparkSettings of(TrainConfig cfg, String runName) {
        return new SparkSettings(cfg.partitions(), cfg.treeDepth(), cfg.storageLevel(), cfg.stepProtocol(),
                cfg.backend(), runName, null, cfg.computePrecision() == Precision.FLOAT32);
    }

    /** The same with spark.protocol replaced (a sweep running trials side by side turns auto into driver). */
    public SparkSettings withProtocol(StepProtocol p) {
        return new SparkSettings(partitions, treeDepth, storageLevel, p, backend, runName, failFirstAttempt, float32);
    }

    /** Tests only: the first attempt of the task at {epoch, step, partition} throws, to exercise retries. */
    public SparkSettings failingFirstAttemptAt(int[] at) {
        return new SparkSettings(partitions, treeDepth, storageLevel, protocol, backend, runName, at, float32);
    }
}
