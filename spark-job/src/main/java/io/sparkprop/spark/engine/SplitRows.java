// What the Spark engine's tasks run over for each split: its cached blocks, or (train.shuffle = chunks) chunk
// blocks cut once as the engine starts, which may spill to disk, and one ChunkRef per partition.
package io.sparkprop.spark.engine;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.data.DistributedData;
import io.sparkprop.spark.data.TrainChunks;
import io.sparkprop.spark.exec.TrainRows;
import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.train.BatchPlan;

/**
 * Under a chunked plan the training blocks are cut into the plan's chunks. Validation and test rows that arrive in
 * chunk blocks ({@link DistributedData#chunkRows} &gt; 0: streamed from the input, or driver-held rows an engine
 * shipped for itself) are cut into chunks of the same size, so no task holds a partition's whole share of them
 * either; they are evaluated chunk by chunk with the bits of the stacked blocks. Stacked blocks shared by several
 * engines (a sweep's trials, a benchmark) keep their validation and test splits one cached block per partition.
 */
final class SplitRows implements AutoCloseable {
    /** The training rows the steps run over: the blocks, or the chunk refs. */
    final JavaRDD<? extends TrainRows> train;
    /** The validation and test rows (null when absent): the blocks, or their chunk refs. */
    final JavaRDD<? extends TrainRows> validation;
    final JavaRDD<? extends TrainRows> test;
    /** The training chunks under a chunked plan, else null. */
    final TrainChunks trainChunks;
    private final TrainChunks validationChunks;
    private final TrainChunks testChunks;

    private SplitRows(DistributedData data, TrainChunks train, TrainChunks validation, TrainChunks test) {
        this.trainChunks = train;
        this.validationChunks = validation;
        this.testChunks = test;
        this.train = train != null ? train.refs : data.train;
        this.validation = validation != null ? validation.refs : data.validation;
        this.test = test != null ? test.refs : data.test;
    }

    /**
     * Cuts what the plan and the data ask for; {@code owns}: the engine owns the data, so the training blocks leave
     * the cache once cut (lineage rebuilds a lost partition). Chunks already cut are dropped if a later cut fails.
     */
    static SplitRows of(JavaSparkContext sc, DistributedData data, boolean owns, BatchPlan plan,
                        StorageChoice storage, String runName) {
        if (data.chunkRows > 0 && (!plan.chunked() || plan.chunkRows != data.chunkRows)) {
            throw new IllegalArgumentException("the training rows were streamed into chunks of " + data.chunkRows
                    + " rows; the plan " + (plan.chunked() ? "has chunks of " + plan.chunkRows : "has none"));
        }
        TrainChunks train = null;
        TrainChunks validation = null;
        try {
            if (plan.chunked()) {
                train = TrainChunks.of(sc, data.train, plan.rows, plan.chunkRows, storage, runName, "train");
                if (owns) {
                    data.train.unpersist(false); // the chunks hold the rows now
                }
            }
            boolean streamed = data.chunkRows > 0;
            validation = streamed && data.validation != null ? TrainChunks.of(sc, data.validation,
                    data.validationRows, data.chunkRows, storage, runName, "val") : null;
            TrainChunks test = streamed && data.test != null ? TrainChunks.of(sc, data.test, data.testRows,
                    data.chunkRows, storage, runName, "test") : null;
            return new SplitRows(data, train, validation, test);
        } catch (RuntimeException e) {
            if (train != null) train.close();
            if (validation != null) validation.close();
            throw e;
        }
    }

    /** Drops the chunk blocks (the data's own blocks are its owner's to drop). */
    @Override
    public void close() {
        if (trainChunks != null) trainChunks.close();
        if (validationChunks != null) validationChunks.close();
        if (testChunks != null) testChunks.close();
    }
}
