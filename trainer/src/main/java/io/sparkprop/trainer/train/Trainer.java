// The training loop on the driver: planned batches → gradient sums → optimizer step, epoch after epoch.
package io.sparkprop.trainer.train;

import java.util.function.Consumer;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Updater;

/**
 * Engine-agnostic: the same loop drives the in-process and the Spark engine. Each epoch the engine runs the
 * steps ({@link Step}: sums, finite checks, the {@link Updater}'s average, L2, clip and step), or L-BFGS runs one
 * iteration on the engine's full-batch sums ({@link EpochRule}); the loop stops the run on a non-finite loss or
 * gradient norm, and after the epoch in which L-BFGS converged. After each epoch it evaluates the validation split,
 * applies early stopping (patience &gt; 0) and writes a checkpoint every {@code checkpointEvery} epochs and after
 * the last one (on a thread of its own, {@link CheckpointWriter}; the last one is on disk when {@link #run} returns).
 */
public final class Trainer {
    private final Network net;
    private final Engine engine;
    private final EpochRule rule;
    private final CheckpointStore checkpoints;
    private final int checkpointEvery;
    private final int patience;

    public Trainer(Network net, Engine engine, Updater updater, CheckpointStore checkpoints, int checkpointEvery,
                   int patience) {
        this(net, engine, EpochRule.steps(updater), checkpoints, checkpointEvery, patience);
    }

    /** With any {@link EpochRule} (L-BFGS: one iteration per epoch, stopping early once it converged). */
    public Trainer(Network net, Engine engine, EpochRule rule, CheckpointStore checkpoints, int checkpointEvery,
                   int patience) {
        this.net = net;
        this.engine = engine;
        this.rule = rule;
        this.checkpoints = checkpoints;
        this.checkpointEvery = checkpointEvery;
        this.patience = patience;
    }

    /**
     * Trains from {@code state} until {@code epochs} epochs are done or early stopping ends the run; state is
     * updated in place. With early stopping the best validation weights are restored at the end.
     */
    public void run(TrainState state, int epochs, Consumer<EpochRecord> onEpoch) {
        double[] params = state.params;
        if (state.optimizerState.length > 0) {
            rule.setState(state.optimizerState);
        }
        long start = System.nanoTime();
        try (CheckpointWriter writer = new CheckpointWriter(checkpoints)) {
            loop(state, epochs, onEpoch, start, writer);
            writer.finish(); // the last checkpoint is on disk when the run returns
        }
        if (patience > 0 && state.bestParams.length == params.length) {
            System.arraycopy(state.bestParams, 0, params, 0, params.length);
        }
    }

    /** The epochs from state.nextEpoch on; early stopping breaks out of it. */
    private void loop(TrainState state, int epochs, Consumer<EpochRecord> onEpoch, long start,
                      CheckpointWriter writer) {
        BatchPlan plan = engine.plan();
        double[] params = state.params;
        for (int epoch = state.nextEpoch; epoch < epochs; epoch++) {
            long t0 = System.nanoTime();
            double trainLoss = trainEpoch(state, epoch, plan);
            double seconds = (System.nanoTime() - t0) / 1e9;
            state.nextEpoch = epoch + 1;
            state.optimizerState = rule.state();

            double[] val = engine.evaluate(params, Engine.Split.VALIDATION);
            Metrics vm = val == null ? null : Metrics.of(val, net);
            boolean stop = false;
            if (vm != null && patience > 0) {
                // Higher is better: accuracy for classifiers, minus the loss for regression.
                double score = vm.isClassification() ? vm.accuracy() : -vm.loss();
                if (score > state.bestMetric) {
                    state.bestMetric = score;
                    state.bestEpoch = epoch;
                    state.stale = 0;
                    state.bestParams = params.clone();
                } else {
                    stop = ++state.stale >= patience;
                }
            }
            stop |= rule.converged();
            onEpoch.accept(new EpochRecord(epoch + 1, state.globalStep, trainLoss,
                    vm == null ? Double.NaN : vm.loss(), vm == null ? Double.NaN : vm.headline(),
                    rule.lr(Math.max(0, state.globalStep - 1)), plan.rows / seconds,
                    (System.nanoTime() - start) / 1e9, engine.timeSplit()));
            if (checkpointEvery > 0 && ((epoch + 1) % checkpointEvery == 0 || epoch + 1 == epochs || stop)) {
                writer.save(state);
            }
            if (stop) {
                break;
            }
        }
    }

    /** One epoch's steps by the engine; their mean loss (Σ w·loss / Σ w, or Σ loss / rows unweighted). */
    private double trainEpoch(TrainState state, int epoch, BatchPlan plan) {
        EpochSteps done = rule.run(engine, state.params, epoch, state.globalStep);
        double lossSum = 0;
        for (int step = 0; step < done.loss().length; step++) {
            check(done.loss()[step], done.norm()[step], epoch, step);
            lossSum += done.loss()[step];
            state.globalStep++;
        }
        if (done.loss().length != plan.stepsPerEpoch()) {
            throw new IllegalStateException("engine stopped after " + done.loss().length + " of "
                    + plan.stepsPerEpoch() + " steps with finite values");
        }
        return lossSum / (Double.isNaN(done.weight()) ? plan.rows : done.weight());
    }

    private static void check(double loss, double norm, int epoch, int step) {
        if (!Double.isFinite(loss)) {
            throw diverged(epoch, step, "loss is " + loss);
        }
        if (!Double.isFinite(norm)) {
            throw diverged(epoch, step, "gradient norm is " + norm);
        }
    }

    private static UserError diverged(int epoch, int step, String what) {
        return new UserError("training diverged at epoch " + (epoch + 1) + " step " + (step + 1) + ": " + what
                + " (lower optimizer.learning-rate or set optimizer.clip-norm); the last good checkpoint is kept");
    }
}
