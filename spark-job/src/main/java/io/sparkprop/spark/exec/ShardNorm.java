// batch-norm's exchanges as one partition makes them: through the protocol's sum, or replayed from sums the
// driver already has; each forward partial kept in the step's partial for the driver's running statistics.
package io.sparkprop.spark.exec;

import java.util.Arrays;

import io.sparkprop.trainer.nn.BatchSums;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.RunningStatistics;

/**
 * The pass calls {@link #allSum} in the order {@link RunningStatistics#exchanges} gives. Exchange j's partial is
 * first copied into the step's partial (forward sums, at {@link PartialLayout#norm}, summed in the tree beside the
 * gradient), then replaced by the global batch's: from {@code known[j]} when the driver protocol has summed it in
 * an earlier job, else through {@code tree} (the barrier protocol's {@link BatchSums}). A driver-protocol job that
 * asks for exchange j's partial stops the pass there ({@link Stop}). A partition with no rows in the step makes the
 * same calls with zeros ({@link #emptyShard}), so every partition takes part in every exchange.
 */
final class ShardNorm implements BatchSums {
    /** Ends a pass at the exchange a driver-protocol job wants; carries nothing. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    private static final Stop STOP = new Stop();

    private final int[][] order;
    /** Offset of exchange j's forward sums within the partial's norm slots; −1 for a backward exchange. */
    private final int[] at;
    private final int normFrom;
    private final double[][] zeros;
    private BatchSums tree;
    private double[][] known;
    private double[] partial;
    private int stopAt = -1;
    private double[] stopped;
    private int call;

    ShardNorm(Network net, PartialLayout layout) {
        this.order = RunningStatistics.exchanges(net, false);
        this.at = new int[order.length];
        this.zeros = new double[order.length][];
        this.normFrom = layout.norm();
        for (int j = 0, off = 0; j < order.length; j++) {
            at[j] = order[j][1] == 0 ? off : -1;
            off += order[j][1] == 0 ? order[j][2] : 0;
            zeros[j] = new double[order[j][2]];
        }
    }

    int exchanges() {
        return order.length;
    }

    /** Values of exchange j. */
    int length(int j) {
        return order[j][2];
    }

    /** Global sums come from {@code tree} (barrier) or, for the first known.length exchanges, known (driver). */
    void source(BatchSums tree, double[][] known) {
        this.tree = tree;
        this.known = known;
    }

    /** A task's end: no source any more if {@code tree} is still it (a newer task may have set its own since). */
    void sourceEnds(BatchSums tree) {
        if (tree != null && this.tree == tree) {
            source(null, null);
        }
    }

    /** Before a pass: its forward partials go to {@code partial} (null: nowhere); stop at exchange j (−1: never). */
    void begin(double[] partial, int stopAt) {
        this.partial = partial;
        this.stopAt = stopAt;
        this.stopped = stopAt < 0 ? null : new double[order[stopAt][2]];
        call = 0;
    }

    /** Exchange j's partial of the pass {@link #begin} stopped (zeros when the partition had no rows). */
    double[] stopped() {
        return stopped;
    }

    @Override
    public void allSum(int layer, boolean backward, double[] sums) {
        int j = call++;
        if (j >= order.length || order[j][0] != layer || (order[j][1] == 1) != backward
                || order[j][2] != sums.length) {
            throw new IllegalStateException("batch-norm exchange " + j + " (layer " + layer + ") out of order");
        }
        if (partial != null && at[j] >= 0) {
            System.arraycopy(sums, 0, partial, normFrom + at[j], sums.length);
        }
        if (j == stopAt) {
            System.arraycopy(sums, 0, stopped, 0, sums.length);
            throw STOP;
        }
        if (known != null && j < known.length) {
            System.arraycopy(known[j], 0, sums, 0, sums.length);
        } else if (tree != null) {
            tree.allSum(layer, backward, sums);
        } else {
            throw new IllegalStateException("batch-norm exchange " + j + " has no source of global sums");
        }
    }

    /** A partition without rows in the step: the pass's exchanges with zero partials (up to the stop, if any). */
    void emptyShard() {
        try {
            for (int j = 0; j < order.length; j++) {
                Arrays.fill(zeros[j], 0.0);
                allSum(order[j][0], order[j][1] == 1, zeros[j]);
            }
        } catch (Stop s) {
            // the driver's job wanted this exchange's partial: zeros
        }
    }
}
