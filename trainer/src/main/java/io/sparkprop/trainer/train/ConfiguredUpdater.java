// Builds the optimizer and learning-rate schedule a config asks for, turning a bad combination into a user error.
package io.sparkprop.trainer.train;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;

/**
 * The schedule spans train.epochs × the plan's steps per epoch, also for a run paused early. optimizer.name = lbfgs
 * has no Updater: {@link #rule} gives its {@link LbfgsEpochs} over a one-batch {@link #plan}.
 */
final class ConfiguredUpdater {
    private ConfiguredUpdater() {
    }

    /**
     * The batches of {@code rows} training rows: train.batch-size, or all rows in one batch for lbfgs; in the
     * order train.shuffle asks for.
     */
    static BatchPlan plan(TrainConfig cfg, int rows, long seed) {
        int batch = cfg.lbfgs() ? Math.max(1, rows) : cfg.batchSize();
        return cfg.shuffle().chunked() ? BatchPlan.chunked(rows, batch, seed, cfg.chunkRows())
                : new BatchPlan(rows, batch, seed);
    }

    /** What moves θ each epoch (and so is checkpointed): the configured Updater's steps, or L-BFGS. */
    static EpochRule rule(TrainConfig cfg, Network net, BatchPlan plan) {
        if (cfg.lbfgs()) {
            return new LbfgsEpochs(net, plan, cfg.historySize(), cfg.tolerance(), cfg.weightDecay());
        }
        return EpochRule.steps(of(cfg, net, plan));
    }

    static Updater of(TrainConfig cfg, Network net, BatchPlan plan) {
        if (cfg.lbfgs()) {
            throw new UserError("optimizer.name: lbfgs is full-batch and has no per-step update; this command needs"
                    + " a per-step optimizer (" + String.join(", ", OptimizerKind.PER_STEP_IDS) + ")");
        }
        try {
            var opt = cfg.optimizer().create(net.paramCount(), net.layout(), cfg.momentum(), cfg.weightDecay());
            var spec = new ScheduleSpec(cfg.schedule(), cfg.learningRate(), cfg.warmupEpochs(), cfg.gamma(),
                    cfg.stepEpochs(), cfg.minLearningRate());
            long steps = plan.stepsPerEpoch();
            return new Updater(opt, Schedule.of(spec, steps, steps * cfg.epochs()), net.layout(), cfg.weightDecay(),
                    cfg.clipNorm());
        } catch (IllegalArgumentException e) {
            throw new UserError("optimizer/schedule: " + e.getMessage());
        }
    }
}
