// The Spark engine's own settings (spark.* keys of the config), apart from model and optimizer settings.
package io.sparkprop.spark;

import io.sparkprop.trainer.config.StepProtocol;
import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.kernel.Backend;

/**
 * @param partitions       spark.partitions; 0 = the context's default parallelism
 * @param treeDepth        spark.tree-depth: how the driver protocol groups its sum (never what it adds up to)
 * @param storageLevel     spark.storage-level of the cached blocks
 * @param protocol         spark.protocol: auto | driver | barrier
 * @param backend          compute.backend on the executors
 * @param runName          shown in Spark UI job descriptions
 * @param failFirstAttempt test hook {epoch, step, partition} whose first task attempt throws, or null
 * @param float32          compute.precision = float32: θ and the summed gradient cross the wire as floats
 */
public record SparkSettings(int partitions, int treeDepth, StorageChoice storageLevel, StepProtocol protocol,
                            Backend backend, String runName, int[] failFirstAttempt, boolean float32) {
    /** The protocol by its config spelling (auto, driver, barrier). */
    public SparkSettings(int partitions, int treeDepth, StorageChoice storageLevel, String protocol, Backend backend,
                         String runName, int[] failFirstAttempt, boolean float32) {
        this(partitions, treeDepth, storageLevel, StepProtocol.of(protocol), backend, runName, failFirstAttempt,
                float32);
    }

    /** float64 on the wire. */
    public SparkSettings(int partitions, int treeDepth, StorageChoice storageLevel, StepProtocol protocol,
                         Backend backend, String runName, int[] failFirstAttempt) {
        this(partitions, treeDepth, storageLevel, protocol, backend, runName, failFirstAttempt, false);
    }

    /** float64 on the wire, the protocol by its config spelling. */
    public SparkSettings(int partitions, int treeDepth, StorageChoice storageLevel, String protocol, Backend backend,
                         String runName, int[] failFirstAttempt) {
        this(partitions, treeDepth, storageLevel, protocol, backend, runName, failFirstAttempt, false);
    }
}
