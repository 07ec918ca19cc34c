// What an engine reports back from an epoch: each step's loss sum and gradient norm, and the epoch's total weight.
package io.sparkprop.trainer.train;

/**
 * loss[s] is Σ loss over global batch s, norm[s] the gradient norm {@link io.sparkprop.trainer.optim.Updater#apply}
 * returned ({@link Step#update}). The engine stops at the first step whose loss or norm is not finite, without
 * applying it: that step is the arrays' last entry, so they may be shorter than the epoch, and the weights are the
 * last good ones. {@code weight} is Σ over the steps of the weight each was divided by (Σ w of its rows), or NaN
 * when the rows are unweighted (or the loss is already a mean per row, as L-BFGS reports it): the epoch's mean
 * loss is Σ loss / weight, or / rows.
 */
public record EpochSteps(double[] loss, double[] norm, double weight) {
    public EpochSteps {
        if (loss.length != norm.length) {
            throw new IllegalArgumentException("loss and norm per step differ in length");
        }
    }

    /** Unweighted steps. */
    public EpochSteps(double[] loss, double[] norm) {
        this(loss, norm, Double.NaN);
    }
}
