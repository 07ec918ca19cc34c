// What a task is handed for its partition's rows of a split: the cached Block itself, or a ChunkRef to its chunks.
package io.sparkprop.spark.exec;

import java.io.Serializable;

/**
 * {@link Block} holds a partition's rows in one array (train.shuffle = rows); {@link ChunkRef} names the
 * partition's chunk blocks (train.shuffle = chunks), which {@link PartitionWorker} reads as the plan reaches them
 * (training) or one after the other (evaluation; under train.shuffle = chunks also the validation and test splits).
 */
public interface TrainRows extends Serializable {
    /** The partition these rows belong to. */
    int partition();
}
