// Builds the optimizer and learning-rate schedule a config asks for, turning a bad combination into a user error.
package io.sparkprop.trainer.train;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;

/** The schedule spans train.epochs × the plan's steps per epoch, also for a run paused early. */
final class ConfiguredUpdater {
    private ConfiguredUpdater() {
    }

    static Updater of(TrainConfig cfg, Network net, BatchPlan plan) {
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
