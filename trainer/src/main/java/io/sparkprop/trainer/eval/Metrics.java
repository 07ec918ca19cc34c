// Evaluation statistics as one mergeable double[]: loss, accuracy and confusion matrix, or RMSE/MAE/R² per target.
package io.sparkprop.trainer.eval;

import io.sparkprop.trainer.nn.Network;

/**
 * Sums are kept in a flat {@code double[]} so partitions can compute them and the driver adds them in place
 * (only arrays cross the wire). Layout:
 * <pre>
 *   [0] W = Σ w  [1] Σ w·loss  then
 *   classification: [2] Σ w correct, [3..3+c²) Σ w confusion (actual × predicted, row-major), c = classes, then
 *                   [3+c²..3+c²+k) Σ w correct 0/1 decisions per output (multi-label rows only)
 *   regression:     per target j, at 2+4j: Σw(ŷ−y)²  Σw|ŷ−y|  Σwy  Σwy²
 *   last:           rows
 * </pre>
 * w is each row's weight (data.weight-column; 1 without one, when W = rows and every sum is the plain one):
 * every metric is the weighted one of Spark's MulticlassMetrics and RegressionMetrics with a weight column
 * (accuracy Σ w correct / W, R² about the weighted mean). Pooled regression metrics (rmse, mae, r2) are over
 * every output value; the (j) forms are per target.
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
        int k = net.outputs();
        return new double[(net.classifier ? 3 + classes(net) * classes(net) + k : 2 + 4 * k) + 1];
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
     * Adds n rows of predictions p (outputs × n) against targets y (t × n, starting at yOff) to stats, unweighted;
     * lossSum is their Σ loss. Multi-label sigmoid outputs count each label as one decision for accuracy.
     */
    public static void add(double[] stats, Network net, double lossSum, double[] p, double[] y, int yOff,
                           int t, int n) {
        add(stats, net, lossSum, p, y, yOff, t, n, null, 0);
    }

    /** As above with row c weighted by w[wOff + c] (w null: 1); lossSum is then Σ w·loss. */
    public static void add(double[] stats, Network net, double lossSum, double[] p, double[] y, int yOff,
                           int t, int n, double[] w, int wOff) {
        int k = net.outputs();
        stats[stats.length - 1] += n;
        stats[1] += lossSum;
        if (w == null) {
            stats[0] += n;
        } else {
            for (int c = 0; c < n; c++) stats[0] += w[wOff + c];
        }
        if (!net.classifier) {
            for (int c = 0; c < n; c++) {
                double wc = w == null ? 1.0 : w[wOff + c];
                for (int j = 0; j < k; j++) {
                    double target = y[yOff + c * t + j];
                    double e = p[c * k + j] - target;
                    int o = 2 + 4 * j;
                    stats[o] += wc * (e * e);
                    stats[o + 1] += wc * Math.abs(e);
                    stats[o + 2] += wc * target;
                    stats[o + 3] += wc * (target * target);
                }
            }
            return;
        }
        int classes = classes(net);
        for (int c = 0; c < n; c++) {
            double wc = w == null ? 1.0 : w[wOff + c];
            if (t > 1) { // multi-label: fraction of correct 0/1 decisions, and each output's count
                int ok = 0;
                for (int j = 0; j < k; j++) {
                    int right = (p[c * k + j] > 0.5) == (y[yOff + c * t + j] > 0.5) ? 1 : 0;
                    ok += right;
                    stats[3 + classes * classes + j] += wc * right;
                }
                stats[2] += wc * ((double) ok / k);
                continue;
            }
            int actual = (int) y[yOff + c];
            int predicted = argmax(p, c, k);
            if (actual == predicted) stats[2] += wc;
            stats[3 + actual * classes + predicted] += wc;
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

    /** Rows scored. */
    public long rows() {
        return (long) s[s.length - 1];
    }

    /** Σ w over the rows scored (the row count when unweighted). */
    public double totalWeight() {
        return s[0];
    }

    /** Mean loss per row (weighted: Σ w·loss / Σ w). */
    public double loss() {
        return s[1] / s[0];
    }

    public double accuracy() {
        return s[2] / s[0];
    }

    /** confusion[actual][predicted]: Σ w of the rows in each cell (counts when unweighted). */
    public double[][] confusion() {
        double[][] m = new double[classes][classes];
        for (int a = 0; a < classes; a++) {
            for (int p = 0; p < classes; p++) m[a][p] = s[3 + a * classes + p];
        }
        return m;
    }

    /** Recall of class c: Σ w of its rows predicted c / Σ w of its rows (NaN without rows). */
    public double recall(int c) {
        double row = 0;
        for (int p = 0; p < classes; p++) row += s[3 + c * classes + p];
        return s[3 + c * classes + c] / row;
    }

    /** Output values per row: one per target for regression, one per label for multi-label. */
    public int outputs() {
        return valuesPerRow;
    }

    /** Multi-label rows: the fraction of rows whose output j decided its 0/1 label right. */
    public double accuracy(int j) {
        return s[3 + classes * classes + j] / s[0];
    }

    /** Σ over the targets of regression sum number q (0 = Σe², 1 = Σ|e|, 2 = Σy, 3 = Σy²). */
    private double pooled(int q) {
        double v = 0;
        for (int j = 0; j < valuesPerRow; j++) v += s[2 + 4 * j + q];
        return v;
    }

    public double rmse() {
        return Math.sqrt(pooled(0) / (s[0] * valuesPerRow));
    }

    public double mae() {
        return pooled(1) / (s[0] * valuesPerRow);
    }

    /** 1 − SSE/SST with SST about the mean of every target value. */
    public double r2() {
        return r2(pooled(0), pooled(2), pooled(3), s[0] * valuesPerRow);
    }

    public double rmse(int j) {
        return Math.sqrt(s[2 + 4 * j] / s[0]);
    }

    public double mae(int j) {
        return s[3 + 4 * j] / s[0];
    }

    /** R² of target j about its own mean. */
    public double r2(int j) {
        return r2(s[2 + 4 * j], s[4 + 4 * j], s[5 + 4 * j], s[0]);
    }

    private static double r2(double sse, double sum, double sumSq, double n) {
        double sst = sumSq - sum * sum / n;
        return sst == 0 ? 0.0 : 1.0 - sse / sst;
    }

    /** The headline metric: accuracy for classifiers, R² for regression. */
    public double headline() {
        return classification ? accuracy() : r2();
    }
}
