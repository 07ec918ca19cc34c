// Puts and reads the chunk blocks of a ChunkRef in the executor's block manager (memory, spilling to disk).
package io.sparkprop.spark.exec;

import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;

import scala.Option;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Chunk blocks are filed as blocks of one RDD that is persisted but never computed (the holder): so unpersisting
 * it drops them on every executor, Spark's storage status counts them under its name, and the memory store never
 * evicts one chunk to make room for another of the same RDD (reading a chunk back from disk cannot push a
 * neighbour out; what did not fit stays on disk). A read holds the block's lock only until its one value is
 * taken, so a long task (the barrier protocol's) never pins a chunk in memory.
 */
public final class ChunkStore {
    private static final ClassTag<Block> TAG = ClassTag$.MODULE$.apply(Block.class);

    private ChunkStore() {
    }

    static BlockId id(ChunkRef ref, int chunk) {
        return new RDDBlockId(ref.holder, chunk * ref.partitions + ref.partition);
    }

    /** Stores chunk {@code chunk} of {@code ref} in this executor's block manager, reported to the driver. */
    public static void put(ChunkRef ref, int chunk, Block rows, StorageLevel level) {
        if (!SparkEnv.get().blockManager().putSingle(id(ref, chunk), rows, level, true, TAG)) {
            throw new IllegalStateException("could not store chunk " + chunk + " of partition " + ref.partition);
        }
    }

    /**
     * Chunk {@code chunk} of {@code ref}, from this executor's memory or disk, or fetched from another's; counted
     * in {@code reads} (may be null) by where it was found.
     */
    public static Block read(ChunkRef ref, int chunk, ChunkReads reads) {
        Option<BlockResult> r = SparkEnv.get().blockManager().get(id(ref, chunk), TAG);
        if (r.isEmpty()) {
            throw new IllegalStateException("chunk " + chunk + " of partition " + ref.partition + " is not stored"
                    + " (its executor was lost after its descriptor was read)");
        }
        if (reads != null) {
            reads.add(r.get().readMethod());
        }
        Iterator<Object> values = r.get().data();
        Block b = (Block) values.next();
        values.hasNext(); // the end of the iterator releases the read lock
        return b;
    }
}
