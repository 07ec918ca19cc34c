// One partition's training rows stacked once into column-major arrays, cached by Spark for every step.
package io.sparkprop.spark.exec;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import io.sparkprop.trainer.data.Dataset;

/**
 * x: (features × rows) and y: (targets × rows) column-major, as in {@link Dataset}; {@code globalId[r]} is
 * row r's number in the whole training set, which fixes its place in every epoch's batch plan.
 * Rows are in ascending global id, so a partition's content does not depend on how it was assembled.
 * Under compute.precision = float32 the cached block holds its features as floats ({@code xf}, x null).
 * {@code w} holds each row's weight beside the rows (data.weight-column; null = all 1) and {@code classWeight}
 * the run's class weights (train.class-weights, training blocks only; null = none), as in {@link Dataset}.
 */
public final class Block implements TrainRows {
    private static final long serialVersionUID = 1L;

    public final int partition;
    public final int features;
    public final int targets;
    public final double[] x;
    public final float[] xf;
    public final double[] y;
    public final int[] globalId;
    /** One weight per row, or null. */
    public final double[] w;
    /** One weight per class, or null. */
    public final double[] classWeight;

    public Block(int partition, int features, int targets, double[] x, double[] y, int[] globalId) {
        this(partition, features, targets, x, null, y, globalId, null, null);
    }

    private Block(int partition, int features, int targets, double[] x, float[] xf, double[] y, int[] globalId,
                  double[] w, double[] classWeight) {
        this.partition = partition;
        this.features = features;
        this.targets = targets;
        this.x = x;
        this.xf = xf;
        this.y = y;
        this.globalId = globalId;
        this.w = w;
        this.classWeight = classWeight;
    }

    /** The same rows with these row weights and class weights (either may be null); arrays shared. */
    public Block withWeights(double[] rowWeights, double[] perClass) {
        return new Block(partition, features, targets, x, xf, y, globalId, rowWeights, perClass);
    }

    /** This block as it is cached: features rounded to float under float32, else itself. */
    public Block stored(boolean float32) {
        if (!float32 || xf != null) {
            return this;
        }
        return new Block(partition, features, targets, null, asDataset(null).toFloat32().xf, y, globalId, w,
                classWeight);
    }

    public int rows() {
        return globalId.length;
    }

    @Override
    public int partition() {
        return partition;
    }

    /** Rows [from, to) as a block of their own (a chunk of this one), copied in this block's precision. */
    public Block range(int from, int to) {
        Dataset part = asDataset(null).slice(from, to);
        return new Block(partition, features, targets, part.x, part.xf, part.y,
                Arrays.copyOfRange(globalId, from, to), w == null ? null : Arrays.copyOfRange(w, from, to),
                classWeight);
    }

    /** A Dataset view over the same arrays, weights included (no copy); class names are not needed for gradients. */
    public Dataset asDataset(List<String> classNames) {
        Dataset d = xf != null ? new Dataset(rows(), features, targets, xf, y, classNames)
                : new Dataset(rows(), features, targets, x, y, classNames);
        return w == null && classWeight == null ? d : d.withWeights(w).withClassWeights(classWeight);
    }

    /** Rows of d placed deterministically: global row g goes to partition g mod p (in d's precision). */
    public static Block[] split(Dataset d, int partitions) {
        Block[] blocks = new Block[partitions];
        for (int p = 0; p < partitions; p++) {
            blocks[p] = of(d, p, partitions);
        }
        return blocks;
    }

    /** Block p of {@link #split}: the rows g of d with g mod partitions = p, copied. */
    public static Block of(Dataset d, int p, int partitions) {
        return of(d, p, partitions, 0, d.rows / partitions + (p < d.rows % partitions ? 1 : 0));
    }

    /** Local rows [from, to) of block p of {@link #split} (global rows p + r·partitions), copied. */
    private static Block of(Dataset d, int p, int partitions, int from, int to) {
        int[] ids = new int[to - from];
        for (int i = 0; i < ids.length; i++) ids[i] = p + (from + i) * partitions;
        Dataset part = d.select(ids);
        return new Block(p, d.features, d.targets, part.x, part.xf, part.y, ids, part.w, d.classWeight);
    }

    /**
     * Block p of {@link #split} cut at the global chunks of chunkRows rows (train.shuffle = chunks): one block per
     * chunk with rows in the partition (one empty block if it has none), each copied as it is asked for.
     */
    public static Iterator<Block> chunks(Dataset d, int p, int partitions, int chunkRows) {
        int n = d.rows / partitions + (p < d.rows % partitions ? 1 : 0);
        ChunkRef ref = new ChunkRef(p, partitions, chunkRows, (d.rows + chunkRows - 1) / chunkRows, n, d.features,
                d.targets, -1);
        return new Iterator<>() {
            private int c;
            private boolean any;

            @Override
            public boolean hasNext() {
                while (c < ref.chunks && ref.first(c) == ref.first(c + 1)) c++; // chunks without rows here
                return c < ref.chunks || !any;
            }

            @Override
            public Block next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                any = true;
                if (c == ref.chunks) {
                    return of(d, p, partitions, 0, 0);
                }
                c++;
                return of(d, p, partitions, ref.first(c - 1), ref.first(c));
            }
        };
    }
}
