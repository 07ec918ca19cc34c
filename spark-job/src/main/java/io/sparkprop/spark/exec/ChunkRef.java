// A partition's rows as chunk blocks (train.shuffle = chunks): which block holds chunk c, and which rows it has.
package io.sparkprop.spark.exec;

/**
 * Rows are placed g → partition g mod P and kept in ascending g, so partition p's local row r is global row
 * p + r·P, and global chunk c (rows [c·C, (c+1)·C)) is the contiguous local range [first(c), first(c + 1)).
 * Each such range is one block of the block manager ({@link ChunkStore}), named by the holder RDD's id and
 * c·P + p; it may sit in memory or on disk. Only this small descriptor is cached per partition, where its
 * chunks were put, so tasks placed by it find them in their own executor.
 */
public final class ChunkRef implements TrainRows {
    private static final long serialVersionUID = 1L;

    public final int partition;
    public final int partitions;
    /** Global rows per chunk (train.chunk-rows) and the number of global chunks. */
    public final int chunkRows;
    public final int chunks;
    /** This partition's rows. */
    public final int rows;
    public final int features;
    public final int targets;
    /** The RDD id the chunk blocks are filed under ({@link ChunkStore}). */
    public final int holder;

    public ChunkRef(int partition, int partitions, int chunkRows, int chunks, int rows, int features, int targets,
                    int holder) {
        this.partition = partition;
        this.partitions = partitions;
        this.chunkRows = chunkRows;
        this.chunks = chunks;
        this.rows = rows;
        this.features = features;
        this.targets = targets;
        this.holder = holder;
    }

    @Override
    public int partition() {
        return partition;
    }

    /** Global row number of local row r. */
    public int globalId(int r) {
        return partition + r * partitions;
    }

    /** The first local row of global chunk c (rows of chunk c are [first(c), first(c + 1))). */
    public int first(int c) {
        long g = (long) c * chunkRows - partition; // the first local r with p + r·P ≥ c·C
        long r = g <= 0 ? 0 : (g + partitions - 1) / partitions;
        return (int) Math.min(rows, r);
    }
}
