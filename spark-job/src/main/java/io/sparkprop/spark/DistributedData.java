// The blocks held by the executors: a run's cached splits, shared by every engine (or sweep trial) that uses
// them. ExecutorInput is how input read on the executors becomes such blocks; of() ships driver-held rows.
package io.sparkprop.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import io.sparkprop.trainer.data.Dataset;

/**
 * train is required; validation and test may be null. {@link #close} drops the cache and the broadcasts the
 * blocks were shipped in; engines over shared data leave that to the owner.
 */
public final class DistributedData implements AutoCloseable {
    final JavaRDD<Block> train;
    final JavaRDD<Block> validation;
    final JavaRDD<Block> test;
    private final List<Broadcast<Block>> broadcasts;

    DistributedData(JavaRDD<Block> train, JavaRDD<Block> validation, JavaRDD<Block> test,
                    List<Broadcast<Block>> broadcasts) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.broadcasts = broadcasts;
    }

    /** Splits held on the driver (IDX, builtin, CV folds), placed row g → partition g mod P and cached. */
    public static DistributedData of(JavaSparkContext sc, Dataset train, Dataset validation, Dataset test,
                                     int partitions, String storageLevel, String name) {
        StorageLevel level = StorageLevel.fromString(storageLevel);
        List<Broadcast<Block>> shipped = new ArrayList<>();
        JavaRDD<Block> t = distribute(sc, train, partitions, level, name + " train", shipped);
        JavaRDD<Block> v = validation == null || validation.rows == 0 ? null
                : distribute(sc, validation, partitions, level, name + " val", shipped);
        JavaRDD<Block> s = test == null || test.rows == 0 ? null
                : distribute(sc, test, partitions, level, name + " test", shipped);
        return new DistributedData(t, v, s, shipped);
    }

    /**
     * Each block travels once, as its own broadcast, and is cached on the executor that computes it. A task
     * then carries only the partition index (a parallelized collection would ship the rows with every task),
     * and a lost executor rebuilds its blocks from the broadcasts.
     */
    private static JavaRDD<Block> distribute(JavaSparkContext sc, Dataset d, int partitions, StorageLevel level,
                                             String what, List<Broadcast<Block>> all) {
        List<Broadcast<Block>> shipped = new ArrayList<>(partitions);
        for (Block b : Block.split(d, partitions)) shipped.add(sc.broadcast(b));
        all.addAll(shipped);
        List<Integer> index = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) index.add(p);
        JavaRDD<Block> rdd = sc.parallelize(index, partitions).map(p -> shipped.get(p).value()).persist(level);
        rdd.setName("sparkprop " + what + " blocks");
        sc.setJobDescription("sparkprop " + what + ": caching data");
        rdd.count();
        return rdd;
    }

    public int partitions() {
        return train.getNumPartitions();
    }

    @Override
    public void close() {
        train.unpersist(false);
        if (validation != null) validation.unpersist(false);
        if (test != null) test.unpersist(false);
        for (Broadcast<Block> b : broadcasts) b.destroy();
    }
}
