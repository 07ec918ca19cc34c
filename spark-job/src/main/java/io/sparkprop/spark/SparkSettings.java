// The Spark engine's own settings (spark.* keys of the config), apart from model and optimizer settings.
package io.sparkprop.spark;

/**
 * @param partitions       spark.partitions; 0 = the context's default parallelism
 * @param treeDepth        spark.tree-depth of the gradient reduction
 * @param storageLevel     spark.storage-level of the cached blocks
 * @param protocol         spark.protocol: auto | driver | barrier
 * @param backend          compute.backend on the executors
 * @param runName          shown in Spark UI job descriptions
 * @param failFirstAttempt test hook {epoch, step, partition} whose first task attempt throws, or null
 */
public record SparkSettings(int partitions, int treeDepth, String storageLevel, String protocol, String backend,
                            String runName, int[] failFirstAttempt) {
}
