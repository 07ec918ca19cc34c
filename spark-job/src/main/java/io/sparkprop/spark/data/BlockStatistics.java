// Feature scaling fitted on the executors: per-partition sums combined in partition order, two passes like the
// driver's.
package io.sparkprop.spark.data;

import io.sparkprop.spark.exec.Block;

import java.util.Arrays;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;

import io.sparkprop.trainer.data.Scaler;

/**
 * Pass 1: n, Σx, min, max per feature; pass 2 (standard only): Σ(x − mean)². Only 3·features + 1 values per
 * partition move in pass 1, and features values in pass 2. Each partition adds its rows in ascending id, over
 * its one block or its chunk blocks in turn (train.shuffle = chunks), so both give the same sums.
 */
final class BlockStatistics {
    private BlockStatistics() {
    }

    static Scaler fit(Scaler.Kind kind, JavaRDD<Block> train, int p) {
        if (kind == Scaler.Kind.NONE) {
            double[] zero = new double[p];
            double[] one = new double[p];
            Arrays.fill(one, 1.0);
            return Scaler.of(kind, zero, one);
        }
        // [0]: rows, then Σx (p), min (p), max (p)
        List<double[]> parts = train.mapPartitions(blocks -> {
            double[] s = new double[1 + 3 * p];
            Arrays.fill(s, 1 + p, 1 + 2 * p, Double.POSITIVE_INFINITY);
            Arrays.fill(s, 1 + 2 * p, 1 + 3 * p, Double.NEGATIVE_INFINITY);
            while (blocks.hasNext()) {
                Block b = blocks.next();
                s[0] += b.rows();
                for (int r = 0; r < b.rows(); r++) {
                    for (int j = 0; j < p; j++) {
                        double v = b.x[r * p + j];
                        s[1 + j] += v;
                        s[1 + p + j] = Math.min(s[1 + p + j], v);
                        s[1 + 2 * p + j] = Math.max(s[1 + 2 * p + j], v);
                    }
                }
            }
            return List.of(s).iterator();
        }).collect();
        long n = 0;
        double[] mean = new double[p];
        double[] min = new double[p];
        double[] max = new double[p];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (double[] s : parts) {
            n += (long) s[0];
            for (int j = 0; j < p; j++) {
                mean[j] += s[1 + j];
                min[j] = Math.min(min[j], s[1 + p + j]);
                max[j] = Math.max(max[j], s[1 + 2 * p + j]);
            }
        }
        for (int j = 0; j < p; j++) mean[j] /= n;
        double[] ss = new double[p];
        if (kind == Scaler.Kind.STANDARD) {
            double[] m = mean;
            for (double[] s : train.mapPartitions(blocks -> {
                double[] acc = new double[p];
                while (blocks.hasNext()) {
                    Block b = blocks.next();
                    for (int r = 0; r < b.rows(); r++) {
                        for (int j = 0; j < p; j++) {
                            double d = b.x[r * p + j] - m[j];
                            acc[j] += d * d;
                        }
                    }
                }
                return List.of(acc).iterator();
            }).collect()) {
                for (int j = 0; j < p; j++) ss[j] += s[j];
            }
        }
        return Scaler.fromStatistics(kind, n, mean, ss, min, max);
    }
}
