// One partition's training rows stacked once into column-major arrays, cached by Spark for every step.
package io.sparkprop.spark;

import java.io.Serializable;
import java.util.List;

import io.sparkprop.trainer.data.Dataset;

/**
 * x: (features × rows) and y: (targets × rows) column-major, as in {@link Dataset}; {@code globalId[r]} is
 * row r's number in the whole training set, which fixes its place in every epoch's batch plan.
 * Rows are in ascending global id, so a partition's content does not depend on how it was assembled.
 */
public final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int partition;
    public final int features;
    public final int targets;
    public final double[] x;
    public final double[] y;
    public final int[] globalId;

    public Block(int partition, int features, int targets, double[] x, double[] y, int[] globalId) {
        this.partition = partition;
        this.features = features;
        this.targets = targets;
        this.x = x;
        this.y = y;
        this.globalId = globalId;
    }

    public int rows() {
        return globalId.length;
    }

    /** A Dataset view over the same arrays (no copy); class names are not needed for gradients. */
    public Dataset asDataset(List<String> classNames) {
        return new Dataset(rows(), features, targets, x, y, classNames);
    }

    /** Rows of d placed deterministically: global row g goes to partition g mod p. */
    public static Block[] split(Dataset d, int partitions) {
        Block[] blocks = new Block[partitions];
        for (int p = 0; p < partitions; p++) {
            int n = d.rows / partitions + (p < d.rows % partitions ? 1 : 0);
            double[] x = new double[n * d.features];
            double[] y = new double[n * d.targets];
            int[] ids = new int[n];
            for (int i = 0, g = p; i < n; i++, g += partitions) {
                System.arraycopy(d.x, g * d.features, x, i * d.features, d.features);
                System.arraycopy(d.y, g * d.targets, y, i * d.targets, d.targets);
                ids[i] = g;
            }
            blocks[p] = new Block(p, d.features, d.targets, x, y, ids);
        }
        return blocks;
    }
}
