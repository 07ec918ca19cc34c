// Which training rows form global mini-batch s of epoch e: a pure function of (seed, epoch, step).
package io.sparkprop.trainer.train;

import java.io.Serializable;
import java.util.SplittableRandom;

import io.sparkprop.trainer.rng.SplitMix64;

/**
 * Each epoch shuffles the n training rows with a permutation seeded by (seed, epoch); global batch s is
 * positions [s·B, min(n, (s+1)·B)) of it. The local trainer and every Spark partition derive the same plan,
 * so a retried task, a resumed run or another cluster size sees the same batches.
 */
public final class BatchPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int rows;
    public final int batchSize;
    public final long seed;

    public BatchPlan(int rows, int batchSize, long seed) {
        this.rows = rows;
        this.batchSize = Math.min(batchSize, rows);
        this.seed = seed;
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

    /** perm[i] = the row at position i of epoch e (Fisher–Yates). */
    public int[] permutation(int epoch) {
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) perm[i] = i;
        SplittableRandom rnd = new SplittableRandom(epochSeed(epoch));
        for (int i = rows - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    /** Key of the dropout masks of one step: distinct for every (seed, epoch, step). */
    public long dropoutKey(int epoch, int step) {
        return SplitMix64.mix(SplitMix64.mix(seed ^ 0x5DEECE66DL) + ((long) epoch << 32) + step);
    }

    private long epochSeed(int epoch) {
        return SplitMix64.mix(seed + SplitMix64.GAMMA * (epoch + 1));
    }
}
