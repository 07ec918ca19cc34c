// train.shuffle = chunks on Spark: each partition's rows of a split cut into chunks, each chunk a block of its own
// that the block manager keeps in memory or spills to disk; what tasks are handed is a small ChunkRef per partition.
package io.sparkprop.spark.data;

import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;

import io.sparkprop.spark.exec.Block;
import io.sparkprop.spark.exec.ChunkRef;
import io.sparkprop.spark.exec.ChunkStore;
import io.sparkprop.trainer.config.StorageChoice;

/**
 * Named for the training split, whose chunks the batch plan walks; under train.shuffle = chunks the validation and
 * test splits, streamed from the input, are cut the same way (chunks of the same size) and evaluated chunk by
 * chunk. Built once from a split's blocks: the task for partition p cuts its rows into the global chunks of the plan
 * (chunk c = rows [c·C, (c+1)·C), partition p's share of it a contiguous range of its rows), puts each into its
 * executor's block manager ({@link ChunkStore}) and returns a {@link ChunkRef}, which is cached (it is a few
 * ints). The rows come as one cached block per partition, or already as one block per chunk, streamed from the
 * input ({@link DistributedData#chunkRows}); a block is cut where it holds several chunks and stored as it is
 * where it holds one, so both give the same chunks. The step tasks of either protocol run over the refs, so Spark places them where the refs, and so the
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

    /**
     * Cuts {@code blocks} ({@code rows} rows in all, placed g → g mod P, each partition's blocks in ascending g) into
     * chunks of chunkRows global rows; a chunk must lie in one block. {@code split} ("train", "val", "test") names
     * them in Spark's storage status and jobs.
     */
    public static TrainChunks of(JavaSparkContext sc, JavaRDD<Block> blocks, int rows, int chunkRows,
                                 StorageChoice storage, String name, String split) {
        StorageLevel configured = StorageLevel.fromString(storage.id());
        StorageLevel level = configured.useDisk() ? configured : StorageLevel.MEMORY_AND_DISK();
        JavaRDD<Integer> holder = sc.<Integer>emptyRDD().persist(level);
        holder.setName(holderName(name, split));
        int id = holder.id();
        int partitions = blocks.getNumPartitions();
        int chunks = (rows + chunkRows - 1) / chunkRows;
        JavaRDD<ChunkRef> refs = blocks.mapPartitionsWithIndex((p, it) -> {
            int mine = rows / partitions + (p < rows % partitions ? 1 : 0);
            return List.of(put(p, it, partitions, mine, chunkRows, chunks, id, level)).iterator();
        }, true).persist(StorageLevel.MEMORY_AND_DISK());
        refs.setName("sparkprop " + name + " " + split + " chunk refs");
        sc.setJobDescription("sparkprop " + name + " " + split + ": cutting " + chunks + " chunks of " + chunkRows
                + " rows");
        refs.count();
        return new TrainChunks(sc, refs, holder);
    }

    /** Puts partition p's chunks from its blocks, each chunk as its range of the block that holds it. */
    private static ChunkRef put(int p, Iterator<Block> blocks, int partitions, int rows, int chunkRows, int chunks,
                                int holder, StorageLevel level) {
        ChunkRef ref = null;
        int c = 0;
        int at = 0; // local rows before this block
        while (blocks.hasNext()) {
            Block b = blocks.next();
            if (ref == null) {
                ref = new ChunkRef(p, partitions, chunkRows, chunks, rows, b.features, b.targets, holder);
            }
            int end = at + b.rows();
            for (; c < chunks && ref.first(c + 1) <= end; c++) {
                int from = ref.first(c) - at;
                int to = ref.first(c + 1) - at;
                if (from < 0) {
                    throw new IllegalStateException("chunk " + c + " of partition " + p + " spans two blocks: the"
                            + " rows were streamed into chunks of another size than " + chunkRows);
                }
                ChunkStore.put(ref, c, from == 0 && to == b.rows() ? b : b.range(from, to), level);
            }
            at = end;
        }
        if (ref == null || at != rows || c != chunks) {
            throw new IllegalStateException("partition " + p + " holds " + at + " rows in " + c + " chunks; the plan"
                    + " has " + rows + " rows in " + chunks + " chunks");
        }
        return ref;
    }

    /** The name the chunk blocks of a split appear under in Spark's storage status. */
    public static String holderName(String name, String split) {
        return "sparkprop " + name + " " + split + " chunks";
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
