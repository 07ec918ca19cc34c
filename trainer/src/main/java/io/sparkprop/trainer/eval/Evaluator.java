// Runs the network forward over a dataset in fixed-size chunks and sums the evaluation statistics.
package io.sparkprop.trainer.eval;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.nn.Batch;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Objective;
import io.sparkprop.trainer.nn.Workspace;

/**
 * Used by the local trainer on whole sets and by Spark partitions on their blocks; dropout is off. Rows are
 * weighted by their {@link Dataset#sampleWeight} (data.weight-column), not by class weights.
 */
public final class Evaluator {
    /** Rows per forward pass: large enough for efficient products, small enough for modest buffers. */
    public static final int CHUNK = 512;

    private final Network net;
    private final Workspace ws;
    private final Batch batch = new Batch();

    public Evaluator(Network net, Workspace ws) {
        this.net = net;
        this.ws = ws;
    }

    /** stats += metrics of every row of data under params. */
    public double[] addTo(double[] stats, double[] params, Dataset data) {
        return addTo(stats, params, data, 0, data.rows);
    }

    /**
     * stats += metrics of rows [start, end) of data, in passes of {@link #CHUNK} rows from start. The same rows in
     * the same passes add the same bits wherever they are stored: a Spark partition's rows held as chunk blocks
     * are evaluated pass by pass as the stacked block would be.
     */
    public double[] addTo(double[] stats, double[] params, Dataset data, int start, int end) {
        for (int from = start; from < end; from += CHUNK) {
            int to = Math.min(end, from + CHUNK);
            batch.set(data, null, from, to).training(false, 0);
            double loss = Objective.loss(net, params, batch, ws);
            int n = to - from;
            Metrics.add(stats, net, loss, ws.predictions(n), data.y, from * data.targets, data.targets, n, data.w,
                    from);
        }
        return stats;
    }

    public Metrics evaluate(double[] params, Dataset data) {
        return Metrics.of(addTo(Metrics.newStats(net), params, data), net);
    }

    /** Predictions (outputs × n) for rows [from, to) — valid until the next call. */
    public double[] predict(double[] params, Dataset data, int from, int to) {
        batch.set(data, null, from, to).training(false, 0);
        Objective.loss(net, params, batch, ws);
        return ws.predictions(to - from);
    }
}
