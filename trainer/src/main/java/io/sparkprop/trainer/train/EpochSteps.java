// What an engine reports back from an epoch: each step's loss sum and gradient norm.
package io.sparkprop.trainer.train;

/**
 * loss[s] is Σ loss over global batch s, norm[s] the gradient norm {@link io.sparkprop.trainer.optim.Updater#apply}
 * returned ({@link Step#update}). The engine stops at the first step whose loss or norm is not finite, without
 * applying it: that step is the arrays' last entry, so they may be shorter than the epoch, and the weights are the
 * last good ones.
 */
public record EpochSteps(double[] loss, double[] norm) {
    public EpochSteps {
        if (loss.length != norm.length) {
            throw new IllegalArgumentException("loss and norm per step differ in length");
        }
    }
}
