// optimizer.name = lbfgs: each epoch is one L-BFGS iteration on the full-batch objective the engine sums.
package io.sparkprop.trainer.train;

import java.util.Arrays;

import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Lbfgs;

/**
 * The objective is f(θ) = Σ loss / n + ½λ·‖W‖² over all n training rows (λ = optimizer.weight-decay, on weights
 * only, as the {@link io.sparkprop.trainer.optim.Updater}'s L2), its gradient the engine's sum / n + λ·W; with
 * weighted rows the sums are Σ w·loss and n = Σ w, the total weight the engine summed beside them. The line
 * search asks for f several times per iteration; each time the engine computes batch 0 of epoch 0 of a one-batch
 * plan through {@link Step.Sums} — on Spark the same job and fixed-order tree as a training step — so f is the
 * same function of θ at every call and a run is reproducible bit for bit. The history is the checkpoint's
 * optimizer state ({@link Lbfgs#state()}).
 */
final class LbfgsEpochs implements EpochRule {
    private final Lbfgs lbfgs;
    private final BatchPlan plan;
    private final double lambda;
    private final boolean[] weight;
    private boolean converged;

    LbfgsEpochs(Network net, BatchPlan plan, int history, double tol, double weightDecay) {
        if (plan.stepsPerEpoch() != 1) {
            throw new IllegalArgumentException("L-BFGS needs a one-batch plan, got " + plan.stepsPerEpoch()
                    + " batches");
        }
        this.lbfgs = new Lbfgs(net.paramCount(), history, tol);
        this.plan = plan;
        this.lambda = weightDecay;
        this.weight = weightDecay > 0 ? net.layout().weightMask() : null;
    }

    @Override
    public EpochSteps run(Engine engine, double[] params, int epoch, long globalStep) {
        Lbfgs.Function f = (x, g) -> objective(engine, x, g);
        Lbfgs.Outcome o = lbfgs.iterate(params, f);
        converged = o != Lbfgs.Outcome.STEPPED;
        // One "step" per epoch: the objective at the accepted point (× n, the trainer divides by the rows).
        return new EpochSteps(new double[] {lbfgs.value() * plan.rows}, new double[] {lbfgs.gradientNorm()});
    }

    private double objective(Engine engine, double[] x, double[] g) {
        Arrays.fill(g, 0.0);
        double lossSum = engine.lossAndGradient(x, 0, 0, g);
        double weightSum = engine.lastWeightSum();
        double n = Double.isNaN(weightSum) ? plan.rows : weightSum;
        double f = lossSum / n;
        double penalty = 0;
        for (int i = 0; i < g.length; i++) {
            g[i] /= n;
            if (weight != null && weight[i]) {
                g[i] += lambda * x[i];
                penalty += x[i] * x[i];
            }
        }
        return f + 0.5 * lambda * penalty;
    }

    @Override
    public double[] state() {
        return lbfgs.state();
    }

    @Override
    public void setState(double[] state) {
        lbfgs.setState(state);
    }

    @Override
    public double lr(long step) {
        return Double.NaN;
    }

    @Override
    public boolean converged() {
        return converged;
    }
}
