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
        for (int from = 0; from < data.rows; from += CHUNK) {
            int to = Math.min(data.rows, from + CHUNK);
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
