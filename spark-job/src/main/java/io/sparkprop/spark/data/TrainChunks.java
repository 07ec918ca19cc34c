// train.shuffle = chunks on Spark: each partition's rows cut into the plan's chunks, each chunk a block of its own
// that the block manager keeps in memory or spills to disk; what tasks are handed is a small ChunkRef per partition.
package io.sparkprop.spark.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;

import io.sparkprop.spark.exec.Block;
import io.sparkprop.spark.exec.ChunkRef;
import io.sparkprop.spark.exec.ChunkStore;
import io.sparkprop.trainer.config.StorageChoice;

/**
 * Built once from a run's cached blocks: the task for partition p cuts its block into the global chunks of the
 * plan (chunk c = rows [c·C, (c+1)·C), partition p's share of it a contiguous range of its rows), puts each into
 * its executor's block manager ({@link ChunkStore}) and returns a {@link ChunkRef}, which is cached (it is a few
 * ints). The step tasks of either protocol run over the refs, so Spark places them where the refs, and so the
 * chunks, are. Chunks are stored at spark.storage-level when it includes the disk, else at MEMORY_AND_DISK: a
 * chunk dropped from memory must still be there to read. A lost executor loses its refs with its chunks; the
 * refs' lineage (the blocks' lineage, then the cutting) puts them again.
 */
public final class TrainChunks implements AutoCloseable {
    /** One ref per partition, cached where that partition's chunks were put. */
    public final JavaRDD<ChunkRef> refs;
    /** Persisted and never computed: its id files the chunk blocks (see {@link ChunkStore}). */
    private final JavaRDD<Integer> holder;
    private final JavaSparkContext sc;

    private TrainChunks(JavaSparkContext sc, JavaRDD<ChunkRef> refs, JavaRDD<Integer> holder) {
        this.sc = sc;
        this.refs = refs;
        this.holder = holder;
    }

    /** Cuts {@code blocks} (trainRows rows in all, placed g → g mod P) into chunks of chunkRows global rows. */
    public static TrainChunks of(JavaSparkContext sc, JavaRDD<Block> blocks, int trainRows, int chunkRows,
                                 StorageChoice storage, String name) {
        StorageLevel configured = StorageLevel.fromString(storage.id());
        StorageLevel level = configured.useDisk() ? configured : StorageLevel.MEMORY_AND_DISK();
        JavaRDD<Integer> holder = sc.<Integer>emptyRDD().persist(level);
        holder.setName(holderName(name));
        int id = holder.id();
        int partitions = blocks.getNumPartitions();
        int chunks = (trainRows + chunkRows - 1) / chunkRows;
        JavaRDD<ChunkRef> refs = blocks.map(b -> {
            ChunkRef ref = new ChunkRef(b.partition, partitions, chunkRows, chunks, b.rows(), b.features, b.targets, id);
            for (int c = 0; c < chunks; c++) {
                ChunkStore.put(ref, c, b.range(ref.first(c), ref.first(c + 1)), level);
            }
            return ref;
        }).persist(StorageLevel.MEMORY_AND_DISK());
        refs.setName("sparkprop " + name + " train chunk refs");
        sc.setJobDescription("sparkprop " + name + " train: cutting " + chunks + " chunks of " + chunkRows + " rows");
        refs.count();
        return new TrainChunks(sc, refs, holder);
    }

    /** The name the chunk blocks appear under in Spark's storage status. */
    public static String holderName(String name) {
        return "sparkprop " + name + " train chunks";
    }

    /** Bytes of the chunk blocks in the executors' memory and on their disks: {memory, disk}. */
    public long[] storedBytes() {
        // The block manager master's own status: the holder has no partitions, so Spark's RDD storage info skips it.
        long[] b = new long[2];
        for (var status : sc.sc().env().blockManager().master().getStorageStatus()) {
            var blocks = status.rddBlocks().iterator();
            while (blocks.hasNext()) {
                var block = blocks.next();
                if (block._1() instanceof RDDBlockId id && id.rddId() == holder.id()) {
                    b[0] += block._2().memSize();
                    b[1] += block._2().diskSize();
                }
            }
        }
        return b;
    }

    /**
     * The most the executors' caches can hold (Spark's storage memory, summed); the driver's block manager, which
     * holds no chunk, is left out unless it is the only one (a local master).
     */
    public static long executorStorageBytes(JavaSparkContext sc) {
        var driver = sc.sc().env().blockManager().blockManagerId();
        String driverKey = driver.host() + ":" + driver.port();
        long total = 0;
        long driverBytes = 0;
        var it = sc.sc().getExecutorMemoryStatus().iterator();
        while (it.hasNext()) {
            var e = it.next();
            long max = (Long) e._2()._1();
            if (e._1().equals(driverKey)) driverBytes = max; else total += max;
        }
        return total == 0 ? driverBytes : total;
    }

    @Override
    public void close() {
        refs.unpersist(false);
        holder.unpersist(false);
    }
}
