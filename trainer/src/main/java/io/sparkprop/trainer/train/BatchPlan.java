// Which training rows form global mini-batch s of epoch e: a pure function of (seed, epoch, step) and the shuffle.
package io.sparkprop.trainer.train;

import java.io.Serializable;
import java.util.SplittableRandom;

import io.sparkprop.trainer.rng.SplitMix64;

/**
 * Each epoch shuffles the n training rows with a permutation seeded by (seed, epoch); global batch s is
 * positions [s·B, min(n, (s+1)·B)) of it. The local trainer and every Spark partition derive the same plan,
 * so a retried task, a resumed run or another cluster size sees the same batches.
 *
 * <p>Under train.shuffle = chunks ({@link #chunked}) the rows are cut into chunks of {@code chunkRows}
 * consecutive rows (chunk c = rows [c·C, (c+1)·C)); each epoch shuffles the order of the chunks, then the rows
 * inside each chunk, so the permutation walks one chunk at a time. An engine whose rows do not fit in memory
 * then needs only the chunk in use and the next one.
 */
public final class BatchPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int rows;
    public final int batchSize;
    public final long seed;
    /** Rows per chunk under the chunk shuffle; 0 = one shuffle of all rows. */
    public final int chunkRows;

    public BatchPlan(int rows, int batchSize, long seed) {
        this(rows, batchSize, seed, 0);
    }

    private BatchPlan(int rows, int batchSize, long seed, int chunkRows) {
        this.rows = rows;
        this.batchSize = Math.min(batchSize, rows);
        this.seed = seed;
        this.chunkRows = chunkRows;
    }

    /** The chunk shuffle over chunks of {@code chunkRows} (&ge; 1) consecutive rows. */
    public static BatchPlan chunked(int rows, int batchSize, long seed, int chunkRows) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunk rows must be >= 1, got " + chunkRows);
        }
        return new BatchPlan(rows, batchSize, seed, chunkRows);
    }

    /** Whether epochs walk the rows chunk by chunk. */
    public boolean chunked() {
        return chunkRows > 0;
    }

    /** The number of chunks (1 under the whole-set shuffle). */
    public int chunks() {
        return chunked() ? (rows + chunkRows - 1) / chunkRows : 1;
    }

    /** The chunk that holds training row {@code row} (0 under the whole-set shuffle). */
    public int chunkOf(int row) {
        return chunked() ? row / chunkRows : 0;
    }

    public int stepsPerEpoch() {
        return (rows + batchSize - 1) / batchSize;
    }

    public int batchStart(int step) {
        return step * batchSize;
    }

    public int batchEnd(int step) {
        return Math.min(rows, (step + 1) * batchSize);
    }

    /**
     * perm[i] = the row at position i of epoch e (Fisher–Yates). Chunked: the chunks in a shuffled order, each
     * chunk's rows shuffled by a generator of its own, seeded by (seed, epoch, chunk).
     */
    public int[] permutation(int epoch) {
        int[] perm = new int[rows];
        if (!chunked()) {
            for (int i = 0; i < rows; i++) perm[i] = i;
            shuffle(perm, 0, rows, new SplittableRandom(epochSeed(epoch)));
            return perm;
        }
        int k = chunks();
        int[] order = new int[k];
        for (int c = 0; c < k; c++) order[c] = c;
        shuffle(order, 0, k, new SplittableRandom(epochSeed(epoch)));
        int at = 0;
        for (int c : order) {
            int from = at;
            for (int r = c * chunkRows, end = Math.min(rows, (c + 1) * chunkRows); r < end; r++) perm[at++] = r;
            shuffle(perm, from, at, new SplittableRandom(SplitMix64.mix(epochSeed(epoch) + SplitMix64.GAMMA * (c + 1))));
        }
        return perm;
    }

    /** Fisher–Yates over a[from, to). */
    private static void shuffle(int[] a, int from, int to, SplittableRandom rnd) {
        for (int i = to - 1; i > from; i--) {
            int j = from + rnd.nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Key of the dropout masks of one step: distinct for every (seed, epoch, step). */
    public long dropoutKey(int epoch, int step) {
        return SplitMix64.mix(SplitMix64.mix(seed ^ 0x5DEECE66DL) + ((long) epoch << 32) + step);
    }

    private long epochSeed(int epoch) {
        return SplitMix64.mix(seed + SplitMix64.GAMMA * (epoch + 1));
    }
}
