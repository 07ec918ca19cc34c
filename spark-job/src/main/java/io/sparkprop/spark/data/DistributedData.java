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
        return of(sc, train, validation, test, partitions, storageLevel, name, 0);
    }

    /**
     * As above; with chunkRows = C &gt; 0 (an engine's own data under train.shuffle = chunks) each split is shipped
     * as one block per global chunk of C rows and partition, uncached, like rows streamed from the input
     * ({@link #chunkRows}): the engine cuts them into chunk blocks, and no executor holds a partition's whole share.
     */
    public static DistributedData of(JavaSparkContext sc, Dataset train, Dataset validation, Dataset test,
                                     int partitions, StorageChoice storageLevel, String name, int chunkRows) {
        StorageLevel level = StorageLevel.fromString(storageLevel.id());
        List<Broadcast<Block>> shipped = new ArrayList<>();
        List<Long> handedOver = new ArrayList<>();
        Shipping ship = new Shipping(sc, partitions, level, chunkRows, shipped, handedOver);
        JavaRDD<Block> t = ship.distribute(train, name + " train");
        JavaRDD<Block> v = validation == null || validation.rows == 0 ? null : ship.distribute(validation,
                name + " val");
        JavaRDD<Block> s = test == null || test.rows == 0 ? null : ship.distribute(test, name + " test");
        return new DistributedData(t, v, s, v == null ? 0 : validation.rows, s == null ? 0 : test.rows, shipped,
                handedOver, chunkRows);
    }

    /** How {@link #of} ships a split's rows: its settings, and what {@link #close} releases. */
    private record Shipping(JavaSparkContext sc, int partitions, StorageLevel level, int chunkRows,
                            List<Broadcast<Block>> all, List<Long> handedOver) {
        JavaRDD<Block> distribute(Dataset d, String what) {
            return chunkRows > 0 ? DistributedData.chunks(sc, d, partitions, chunkRows, what, all, handedOver)
                    : DistributedData.distribute(sc, d, partitions, level, what, all, handedOver);
        }
    }

    /**
     * {@link #distribute}'s chunked form: each partition's chunk blocks travel as broadcasts of their own, the
     * handles of partition p in the task of partition p only (or, on a local master, each task copies its chunks
     * from the split in {@link #IN_PROCESS} as they are read). Nothing is cached; the engine's cutting reads them.
     */
    private static JavaRDD<Block> chunks(JavaSparkContext sc, Dataset d, int partitions, int chunkRows, String what,
                                         List<Broadcast<Block>> all, List<Long> handedOver) {
        JavaRDD<Block> rdd;
        if (sc.isLocal()) {
            long id = NEXT_ID.incrementAndGet();
            IN_PROCESS.put(id, d);
            handedOver.add(id);
            List<Integer> index = new ArrayList<>(partitions);
            for (int p = 0; p < partitions; p++) index.add(p);
            rdd = sc.parallelize(index, partitions).flatMap(p -> Block.chunks(inProcess(id), p, partitions,
                    chunkRows));
        } else {
            List<List<Broadcast<Block>>> handles = new ArrayList<>(partitions);
            for (int p = 0; p < partitions; p++) {
                List<Broadcast<Block>> mine = new ArrayList<>();
                Block.chunks(d, p, partitions, chunkRows).forEachRemaining(b -> mine.add(sc.broadcast(b)));
                all.addAll(mine);
                handles.add(mine);
            }
            rdd = sc.parallelize(handles, partitions).flatMap(mine -> mine.stream().map(Broadcast::value).iterator());
        }
        rdd.setName("sparkprop " + what + " chunk blocks");
        return rdd;
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
        return Block.of(inProcess(id), partition, partitions);
    }

    private static Dataset inProcess(long id) {
        Dataset d = IN_PROCESS.get(id);
        if (d == null) {
            throw new IllegalStateException("the rows of this data were released (DistributedData closed)");
        }
        return d;
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
