// One training step recorded number by number: the engine's own forward, backward and update, read back after.
package io.sparkprop.trainer.train;

import java.util.Arrays;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.kernel.Gemm;
import io.sparkprop.trainer.model.InitialWeights;
import io.sparkprop.trainer.nn.Batch;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Objective;
import io.sparkprop.trainer.nn.RunningStatistics;
import io.sparkprop.trainer.nn.Workspace;
import io.sparkprop.trainer.optim.Updater;

/**
 * The first step of a run with train.batch-size = {@code rows}: the rows the batch plan puts first in epoch 1,
 * {@link Objective#lossAndGradient} on one workspace (as the local engine runs a batch on one thread) inside the
 * one step function {@link Step#take} with the run's {@link Updater}. Nothing is recomputed: z, a and δ are what that call left in the workspace. All
 * matrices are column-major (units × n), one column per row of the batch; layer boundary 0 is the input.
 * A layer-list network (model.layers) records the same step, but a, z and δ hold nulls: its per-layer values
 * are whole feature maps, and trace shows its shapes, parameters and gradients per layer instead.
 */
public final class StepTrace {
    public final Network net;
    /** Indices into the (scaled) training split of the batch's rows, in batch order. */
    public final int[] rows;
    /** a[0] = X (inputs × n); a[l] the input of layer l + 1 (hidden: after activation and dropout). */
    public final double[][] a;
    /** z[l] = W_l·a[l−1] + b_l for l = 1..L (z[0] is null). */
    public final double[][] z;
    /** δ[l] = ∂C/∂z[l] for l = 1..L (δ[0] is null). */
    public final double[][] delta;
    /** Predictions p = out(z[L]) (outputs × n). */
    public final double[] p;
    /** Targets as stored (targets × n): one class index per row, or one value per output. */
    public final double[] y;
    public final int targets;
    /**
     * Each batch row's training weight (data.weight-column × train.class-weights, {@link
     * io.sparkprop.trainer.data.Dataset#trainingWeight}) in batch order, or null when the rows are unweighted.
     */
    public final double[] weights;
    /** W, the step's divisor: Σ weights (in row order, as the step sums it), or the row count when unweighted. */
    public final double weightSum;
    /** C summed over the batch's rows, each row's loss times its weight when weighted. */
    public final double loss;
    /** ∂C/∂θ summed over the rows, flat in {@link io.sparkprop.trainer.nn.ParamLayout} order. */
    public final double[] gradSum;
    /** The gradient the optimizer was given: gradSum / W, after decay and clipping. */
    public final double[] stepGradient;
    public final double[] before;
    public final double[] after;
    public final double learningRate;
    /**
     * ‖mean gradient‖ before clipping, as {@link Updater#apply} returns it; NaN when the loss was not finite (then
     * Step leaves θ untouched and {@link #after} equals {@link #before}).
     */
    public final double norm;

    private StepTrace(Network net, int[] rows, double[][] a, double[][] z, double[][] delta, double[] p, double[] y,
                      int targets, double[] weights, double weightSum, double loss, double[] gradSum, double[] stepGradient, double[] before,
                      double[] after, double learningRate, double norm) {
        this.net = net;
        this.rows = rows;
        this.a = a;
        this.z = z;
        this.delta = delta;
        this.p = p;
        this.y = y;
        this.targets = targets;
        this.weights = weights;
        this.weightSum = weightSum;
        this.loss = loss;
        this.gradSum = gradSum;
        this.stepGradient = stepGradient;
        this.before = before;
        this.after = after;
        this.learningRate = learningRate;
        this.norm = norm;
    }

    /** Traces the first step of cfg's run on {@code data} with a batch of {@code n} rows. */
    public static StepTrace run(TrainConfig cfg, PreparedData data, int n, Gemm gemm) {
        if (n < 1 || n > data.train.rows) {
            throw new UserError("--rows: must be in [1, " + data.train.rows + "] (the training rows), got " + n);
        }
        Network net = data.network(cfg);
        BatchPlan plan = cfg.shuffle().chunked() ? BatchPlan.chunked(data.train.rows, n, cfg.seed(), cfg.chunkRows())
                : new BatchPlan(data.train.rows, n, cfg.seed());
        double[] params = InitialWeights.of(net, cfg.init(), cfg.seed(), cfg.initFile());
        double[] before = params.clone();
        int[] perm = plan.permutation(0);
        Workspace ws = net.newWorkspace(gemm);
        double[] grad = new double[net.paramCount()];
        double[] gradSum = new double[net.paramCount()];
        // The run's own step function over trace's single workspace: the sums the local engine forms for a
        // batch on one thread, kept (gradSum) before the updater overwrites them with the step's gradient.
        Batch batch = new Batch();
        Step.Sums sums = new Step.Sums() {
            @Override
            public double lossAndGradient(double[] theta, int epoch, int step, double[] g) {
                batch.set(data.train, perm, plan.batchStart(step), plan.batchEnd(step))
                        .training(true, plan.dropoutKey(epoch, step));
                double lossSum = Objective.lossAndGradient(net, theta, batch, ws, g);
                System.arraycopy(g, 0, gradSum, 0, g.length);
                return lossSum;
            }

            @Override
            public double lastWeightSum() {
                return data.train.weighted() ? batch.weightSum() : Double.NaN;
            }

            @Override
            public void stepped(double[] theta) {
                RunningStatistics.update(net, theta, ws); // batch-norm's running statistics, as an engine's step
            }
        };
        Updater updater = ConfiguredUpdater.of(cfg, net, plan);
        double[] loss = new double[1];
        double[] norm = new double[1];
        Step.take(sums, updater, plan, params, grad, 0, 0, 0L, loss, norm);

        int depth = net.depth();
        double[][] a = new double[depth][];
        double[][] z = new double[depth + 1][];
        double[][] delta = new double[depth + 1][];
        if (!net.isLayerList()) {
            for (int l = 0; l < depth; l++) a[l] = ws.a(l, n);
            for (int l = 1; l <= depth; l++) {
                z[l] = ws.z(l, n);
                delta[l] = ws.delta(l, n);
            }
        }
        double[] p = ws.predictions(n).clone();
        int t = data.train.targets;
        double[] y = new double[t * n];
        for (int i = 0; i < n; i++) System.arraycopy(data.train.y, perm[i] * t, y, i * t, t);
        double[] w = null;
        if (data.train.weighted()) {
            w = new double[n];
            for (int i = 0; i < n; i++) w[i] = data.train.trainingWeight(perm[i]);
        }

        return new StepTrace(net, Arrays.copyOf(perm, n), a, z, delta, p, y, t, w, w == null ? n : batch.weightSum(),
                loss[0], gradSum, grad, before, params, updater.currentLr(0), norm[0]);
    }

    /** Batch rows. */
    public int n() {
        return rows.length;
    }

    /** The loss the step averaged: loss / W (the plain mean when unweighted). */
    public double lossMean() {
        return loss / weightSum;
    }
}
