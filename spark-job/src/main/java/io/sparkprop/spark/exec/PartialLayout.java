// What one partition (or one subtree of partitions) sends up per step: one flat double[] with named slots.
package io.sparkprop.spark.exec;

/**
 * <pre>
 *   [0, P)      Σ ∂loss/∂θ over the partition's rows of the global batch
 *   P           Σ loss
 *   P + 1       rows summed (the tree's sum must equal the batch size)
 *   P + 2       compute milliseconds, summed over the partitions (divided by the partition count for the mean)
 *   P + 3       Σ w, the rows' weights (the row count when unweighted: integers, summed exactly), the step's divisor
 *   P + 4 ...   batch-norm's forward sums of the partition's rows, {@code norms} values (none without batch-norm):
 *               summed in the same tree they give the driver the global batch's, for the running statistics
 * </pre>
 * with P = {@code params}, the length of θ.
 * Adding two such arrays element-wise adds every slot meaningfully, so the same tree sums them all.
 */
public record PartialLayout(int params, int norms) implements java.io.Serializable {
    /** A network without batch-norm. */
    public PartialLayout(int params) {
        this(params, 0);
    }

    /** The layout of {@code net}'s partials. */
    public static PartialLayout of(io.sparkprop.trainer.nn.Network net) {
        return new PartialLayout(net.paramCount(), io.sparkprop.trainer.nn.RunningStatistics.sumsLength(net));
    }

    public int loss() {
        return params;
    }

    public int rows() {
        return params + 1;
    }

    public int computeMs() {
        return params + 2;
    }

    /** Σ of the rows' weights: summed in the same tree as the gradient, so every protocol divides by the same bits. */
    public int weight() {
        return params + 3;
    }

    /** Where batch-norm's forward sums begin ({@link io.sparkprop.trainer.nn.RunningStatistics#sumsLength}). */
    public int norm() {
        return params + 4;
    }

    public int length() {
        return params + 4 + norms;
    }

    public double[] newArray() {
        return new double[length()];
    }

    /** Fails unless a summed array counts exactly {@code expected} rows (a partition sent the wrong slice). */
    public void checkRows(double[] sum, long expected, int epoch, int step) {
        if (sum[rows()] != expected) {
            throw new IllegalStateException("epoch " + (epoch + 1) + " step " + (step + 1) + ": the partitions summed "
                    + (long) sum[rows()] + " rows, the batch has " + expected);
        }
    }
}
