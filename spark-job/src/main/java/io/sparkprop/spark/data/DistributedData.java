// The blocks held by the executors: a run's cached splits, shared by every engine (or sweep trial) that uses
// them. ExecutorInput is how input read on the executors becomes such blocks; of() ships driver-held rows.
package io.sparkprop.spark.data;

import io.sparkprop.spark.exec.Block;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.data.Dataset;

/**
 * train is required; validation and test may be null. {@link #close} drops the cache and the broadcasts (or
 * in-process hand-overs) the blocks were shipped in; engines over shared data leave that to the owner.
 */
public final class DistributedData implements AutoCloseable {
    /** Splits handed to tasks of a local master, which run in this JVM, by hand-over id until close. */
    private static final Map<Long, Dataset> IN_PROCESS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong();

    public final JavaRDD<Block> train;
    public final JavaRDD<Block> validation;
    public final JavaRDD<Block> test;
    /**
     * 0: each split holds one block per partition. C > 0: each split holds, per partition, one block per global
     * chunk of C rows (input streamed under train.shuffle = chunks, see {@link Placement#blocks}), uncached; only an
     * engine whose plan has chunks of C rows can train on it, and it cuts the validation and test splits into
     * chunk blocks too.
     */
    public final int chunkRows;
    /** Rows of the validation and test splits (0 for a split that is absent). */
    public final int validationRows;
    public final int testRows;
    private final List<Broadcast<Block>> broadcasts;
    private final List<Long> handedOver;

    DistributedData(JavaRDD<Block> train, JavaRDD<Block> validation, JavaRDD<Block> test, int validationRows,
                    int testRows, int chunkRows) {
        this(train, validation, test, validationRows, testRows, List.of(), List.of(), chunkRows);
    }

    private DistributedData(JavaRDD<Block> train, JavaRDD<Block> validation, JavaRDD<Block> test, int validationRows,
                            int testRows, List<Broadcast<Block>> broadcasts, List<Long> handedOver, int chunkRows) {
        this.train = train;
        this.chunkRows = chunkRows;
        this.validationRows = validation == null ? 0 : validationRows;
        this.testRows = test == null ? 0 : testRows;
        this.validation = validation;
        this.test = test;
        this.broadcasts = broadcasts;
        this.handedOver = handedOver;
    }

    /** Splits held on the driver (IDX, builtin, CV folds), placed row g → partition g mod P and cached. */
    public static DistributedData of(JavaSparkContext sc, Dataset train, Dataset validation, Dataset test,
                                     int partitions, StorageChoice storageLevel, String name) {
        StorageLevel level = StorageLevel.fromString(storageLevel.id());
        List<Broadcast<Block>> shipped = new ArrayList<>();
        List<Long> handedOver = new ArrayList<>();
        JavaRDD<Block> t = distribute(sc, train, partitions, level, name + " train", shipped, handedOver);
        JavaRDD<Block> v = validation == null || validation.rows == 0 ? null
                : distribute(sc, validation, partitions, level, name + " val", shipped, handedOver);
        JavaRDD<Block> s = test == null || test.rows == 0 ? null
                : distribute(sc, test, partitions, level, name + " test", shipped, handedOver);
        return new DistributedData(t, v, s, v == null ? 0 : validation.rows, s == null ? 0 : test.rows, shipped,
                handedOver, 0);
    }

    /**
     * Each block travels once, as its own broadcast, and is cached on the executor that computes it. A task
     * then carries only the partition index (a parallelized collection would ship the rows with every task),
     * and a lost executor rebuilds its blocks from the broadcasts. A local master's tasks run in this JVM:
     * each stacks its own block from the split in {@link #IN_PROCESS} instead, in parallel, which spares
     * serialising every value into the broadcast's chunks (the larger part of the time to cache Fashion-MNIST,
     * and a second copy in memory).
     */
    private static JavaRDD<Block> distribute(JavaSparkContext sc, Dataset d, int partitions, StorageLevel level,
                                             String what, List<Broadcast<Block>> all, List<Long> handedOver) {
        List<Integer> index = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) index.add(p);
        JavaRDD<Block> rdd;
        if (sc.isLocal()) {
            long id = NEXT_ID.incrementAndGet();
            IN_PROCESS.put(id, d);
            handedOver.add(id);
            rdd = sc.parallelize(index, partitions).map(p -> handedOver(id, p, partitions)).persist(level);
        } else {
            List<Broadcast<Block>> shipped = new ArrayList<>(partitions);
            for (Block b : Block.split(d, partitions)) shipped.add(sc.broadcast(b));
            all.addAll(shipped);
            rdd = sc.parallelize(index, partitions).map(p -> shipped.get(p).value()).persist(level);
        }
        rdd.setName("sparkprop " + what + " blocks");
        sc.setJobDescription("sparkprop " + what + ": caching data");
        rdd.count();
        return rdd;
    }

    private static Block handedOver(long id, int partition, int partitions) {
        Dataset d = IN_PROCESS.get(id);
        if (d == null) {
            throw new IllegalStateException("the rows of this data were released (DistributedData closed)");
        }
        return Block.of(d, partition, partitions);
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
        for (long id : handedOver) IN_PROCESS.remove(id);
    }
}
