// The configured optimizer step (rule, schedule, decay, clipping) for a network and batch plan, built in one place.
package io.sparkprop.trainer.train;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Optimizers;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;

/** Training runs and {@code trace} take their {@link Updater} from here, so both step the same way. */
public final class Updaters {
    private Updaters() {
    }

    /** A bad optimizer or schedule setting is a {@link UserError}. */
    public static Updater of(TrainConfig cfg, Network net, BatchPlan plan) {
        try {
            var opt = Optimizers.create(cfg.optimizer(), net.paramCount(), net.layout(), cfg.momentum(),
                    cfg.weightDecay());
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
