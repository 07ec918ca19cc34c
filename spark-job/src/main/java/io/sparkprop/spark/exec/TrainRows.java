// What a training task is handed for its partition: the cached Block itself, or a ChunkRef to its chunk blocks.
package io.sparkprop.spark.exec;

import java.io.Serializable;

/**
 * {@link Block} holds a partition's rows in one array (train.shuffle = rows); {@link ChunkRef} names the
 * partition's chunk blocks (train.shuffle = chunks), which {@link PartitionWorker} reads as the plan reaches them.
 */
public interface TrainRows extends Serializable {
    /** The partition these rows belong to. */
    int partition();
}
