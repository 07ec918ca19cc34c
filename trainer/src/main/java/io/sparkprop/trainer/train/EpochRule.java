// How one epoch moves θ: the Updater's mini-batch steps through the engine, or one L-BFGS iteration (LbfgsEpochs).
package io.sparkprop.trainer.train;

import io.sparkprop.trainer.optim.Updater;

/** The {@link Trainer}'s one variable part; its state is what a checkpoint keeps as the optimizer state. */
public interface EpochRule {
    /** Trains epoch {@code epoch} on θ in place; the arrays stop at the first step that was not finite. */
    EpochSteps run(Engine engine, double[] params, int epoch, long globalStep);

    /** The state a resumed run continues from (optimizer moments, or L-BFGS's history). */
    double[] state();

    void setState(double[] state);

    /** The learning rate at 0-based global step s (NaN when the rule has none, as L-BFGS). */
    double lr(long step);

    /** True when the rule's own stopping test ended the run after the last epoch (L-BFGS's tolerance). */
    default boolean converged() {
        return false;
    }

    /** The per-step rules: each batch's sums through {@link Step} and {@code updater}. */
    static EpochRule steps(Updater updater) {
        return new EpochRule() {
            @Override
            public EpochSteps run(Engine engine, double[] params, int epoch, long globalStep) {
                return engine.trainEpoch(params, updater, epoch, globalStep);
            }

            @Override
            public double[] state() {
                return updater.optimizer().state();
            }

            @Override
            public void setState(double[] state) {
                updater.optimizer().setState(state);
            }

            @Override
            public double lr(long step) {
                return updater.currentLr(step);
            }
        };
    }
}
