// Evaluation statistics as one mergeable double[]: loss, accuracy and confusion matrix, or RMSE/MAE/R².
package io.sparkprop.trainer.eval;

import io.sparkprop.trainer.nn.Network;

/**
 * Sums are kept in a flat {@code double[]} so partitions can compute them and the driver adds them in place
 * (only arrays cross the wire). Layout:
 * <pre>
 *   [0] rows  [1] Σ loss  then
 *   classification: [2] correct, [3..3+c²) confusion (actual × predicted, row-major), c = classes
 *   regression:     [2] Σ(ŷ−y)²  [3] Σ|ŷ−y|  [4] Σy  [5] Σy²   (over every output value)
 * </pre>
 */
public final class Metrics {
    private final double[] s;
    private final int classes;
    private final boolean classification;
    /** Output values per row (regression): RMSE, MAE and R² average over every value. */
    private final int valuesPerRow;

    private Metrics(double[] s, int classes, boolean classification, int valuesPerRow) {
        this.s = s;
        this.classes = classes;
        this.classification = classification;
        this.valuesPerRow = valuesPerRow;
    }

    /** Classes for the confusion matrix: 2 for a single sigmoid unit, else the output count. */
    public static int classes(Network net) {
        return net.outputs() == 1 ? 2 : net.outputs();
    }

    public static double[] newStats(Network net) {
        return new double[net.classifier ? 3 + classes(net) * classes(net) : 6];
    }

    public static Metrics of(double[] stats, Network net) {
        return new Metrics(stats, classes(net), net.classifier, net.outputs());
    }

    /** acc += other, element-wise; returns acc. */
    public static double[] merge(double[] acc, double[] other) {
        for (int i = 0; i < acc.length; i++) acc[i] += other[i];
        return acc;
    }

    /**
     * Adds n rows of predictions p (outputs × n) against targets y (t × n, starting at yOff) to stats.
     * Multi-label sigmoid outputs count each label as one decision for accuracy.
     */
    public static void add(double[] stats, Network net, double lossSum, double[] p, double[] y, int yOff,
                           int t, int n) {
        int k = net.outputs();
        stats[0] += n;
        stats[1] += lossSum;
        if (!net.classifier) {
            for (int c = 0; c < n; c++) {
                for (int j = 0; j < k; j++) {
                    double target = y[yOff + c * t + j];
                    double e = p[c * k + j] - target;
                    stats[2] += e * e;
                    stats[3] += Math.abs(e);
                    stats[4] += target;
                    stats[5] += target * target;
                }
            }
            return;
        }
        int classes = classes(net);
        for (int c = 0; c < n; c++) {
            if (t > 1) { // multi-label: fraction of correct 0/1 decisions
                int ok = 0;
                for (int j = 0; j < k; j++) ok += (p[c * k + j] > 0.5) == (y[yOff + c * t + j] > 0.5) ? 1 : 0;
                stats[2] += (double) ok / k;
                continue;
            }
            int actual = (int) y[yOff + c];
            int predicted = argmax(p, c, k);
            if (actual == predicted) stats[2] += 1;
            stats[3 + actual * classes + predicted] += 1;
        }
    }

    /** Predicted class of column c: argmax, or p > 0.5 for a single sigmoid unit. */
    public static int argmax(double[] p, int c, int k) {
        if (k == 1) {
            return p[c] > 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (p[c * k + j] > p[c * k + best]) best = j;
        }
        return best;
    }

    public boolean isClassification() {
        return classification;
    }

    public long rows() {
        return (long) s[0];
    }

    /** Mean loss per row. */
    public double loss() {
        return s[1] / s[0];
    }

    public double accuracy() {
        return s[2] / s[0];
    }

    /** confusion[actual][predicted]. */
    public long[][] confusion() {
        long[][] m = new long[classes][classes];
        for (int a = 0; a < classes; a++) {
            for (int p = 0; p < classes; p++) m[a][p] = (long) s[3 + a * classes + p];
        }
        return m;
    }

    private double values() {
        return s[0] * valuesPerRow;
    }

    public double rmse() {
        return Math.sqrt(s[2] / values());
    }

    public double mae() {
        return s[3] / values();
    }

    /** 1 − SSE/SST with SST about the mean target. */
    public double r2() {
        double n = values();
        double sst = s[5] - s[4] * s[4] / n;
        return sst == 0 ? 0.0 : 1.0 - s[2] / sst;
    }

    /** The headline metric: accuracy for classifiers, R² for regression. */
    public double headline() {
        return classification ? accuracy() : r2();
    }
}
