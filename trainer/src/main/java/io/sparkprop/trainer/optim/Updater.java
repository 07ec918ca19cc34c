// What the driver does with each global gradient sum: average, L2-decay, clip, schedule, step. Shared by all trainers.
package io.sparkprop.trainer.optim;

import io.sparkprop.trainer.nn.ParamLayout;

/**
 * One optimizer step from a gradient sum over a global batch of n examples (n = Σ row weights when weighted):
 * <pre>
 *   g ← gradSum / n                                    (a) (weighted) mean over the global batch
 *   g ← g + λ·w          on weights only, not biases   (b) L2 decay; skipped if the optimizer decouples it (adamw)
 *   ‖g‖ = √Σ g²                                         returned, before clipping (Σ per block of 16384
 *                                                       values, then over the blocks, both in index order)
 *   g ← g · c/‖g‖        if c &gt; 0 and ‖g‖ &gt; c           (c) clip to global L2 norm c
 *   w ← optimizer.step(w, g, schedule.lr(step))        (d)
 * </pre>
 * (b) makes the objective L + ½λ‖W‖². If ‖g‖ is not finite (NaN or ∞), (c) and (d) are skipped: params and optimizer
 * state stay at their last good values and the caller decides, from the returned norm, how to report the divergence.
 * Gradient clipping: R. Pascanu, T. Mikolov and Y. Bengio, "On the difficulty of training recurrent neural networks",
 * ICML 2013. Allocation-free per call; not thread-safe (though one call may run its loops on several threads).
 */
public final class Updater {

    private final Optimizer optimizer;
    private final Schedule schedule;
    private final ParamLayout layout;
    private final double l2;
    private final double clipNorm;
    /** Whether index i is a weight (L2 decay applies) rather than a bias; null without decay. */
    private final boolean[] weight;
    /** Σ g² of each block of {@link #NORM_BLOCK} values. */
    private final double[] blockSq;
    // The call's arguments for the lanes' bodies (fields, so a step allocates nothing).
    private double[] w;
    private double[] g;
    private double n;
    private double scale;
    private final Lanes.Body meanAndSquares = this::meanAndSquares;
    private final Lanes.Body clip = (from, to) -> {
        for (int i = from; i < to; i++) {
            g[i] *= scale;
        }
    };

    /** Values per partial sum of ‖g‖²: fixed, so the norm's bits never depend on how the loops were cut. */
    public static final int NORM_BLOCK = 1 << 14;

    /**
     * @param optimizer   the update rule
     * @param schedule    the learning-rate schedule
     * @param layout      the parameter layout (tells weights from biases); its size must match each call's arrays
     * @param weightDecay λ ≥ 0; pass the same value given to {@link OptimizerKind#create} — it is applied here as L2
     *                    unless the optimizer {@link Optimizer#decouplesWeightDecay() decouples} it
     * @param clipNorm    c ≥ 0, the maximum global gradient L2 norm; 0 disables clipping
     */
    public Updater(Optimizer optimizer, Schedule schedule, ParamLayout layout, double weightDecay, double clipNorm) {
        if (optimizer == null || schedule == null || layout == null) {
            throw new IllegalArgumentException("updater needs an optimizer, a schedule and a layout");
        }
        if (!(weightDecay >= 0) || weightDecay == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
        }
        if (!(clipNorm >= 0) || clipNorm == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("clip norm must be finite and >= 0 (0 = off), got " + clipNorm);
        }
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.layout = layout;
        this.l2 = optimizer.decouplesWeightDecay() ? 0.0 : weightDecay;
        this.clipNorm = clipNorm;
        this.blockSq = new double[(layout.size() + NORM_BLOCK - 1) / NORM_BLOCK];
        this.weight = l2 != 0 ? layout.weightMask() : null;
    }

    /**
     * Applies one step in place on {@code params}, its elementwise loops cut into {@code lanes}' ranges
     * ({@link Lanes#SERIAL} for one range): the same bits whatever the lanes, since ‖g‖² is summed per
     * {@link #NORM_BLOCK} values, in index order within and across the blocks.
     *
     * @param params     w, length P, updated in place
     * @param gradSum    Σ of per-example gradients, length P; OVERWRITTEN with the final gradient that was passed to
     *                   the optimizer (averaged, decayed, clipped)
     * @param count      n, the number of examples summed, ≥ 1
     * @param globalStep 0-based step across the whole run, for the schedule
     * @return ‖g‖ after (a) and (b), before clipping; NaN or ∞ means nothing was updated
     */
    public double apply(double[] params, double[] gradSum, long count, long globalStep, Lanes lanes) {
        if (count < 1) {
            throw new IllegalArgumentException("gradient was summed over " + count + " examples, expected >= 1");
        }
        return apply(params, gradSum, (double) count, globalStep, lanes);
    }

    /**
     * As above with the divisor a total weight: {@code weightSum} = Σ w over the batch's rows, finite and &gt; 0
     * (a count of n rows is the weight sum n, the same bits).
     */
    public double apply(double[] params, double[] gradSum, double weightSum, long globalStep, Lanes lanes) {
        int p = layout.size();
        if (params.length != p || gradSum.length != p) {
            throw new IllegalArgumentException("expected params and gradient of length " + p + ", got " + params.length
                    + " and " + gradSum.length);
        }
        if (!(weightSum > 0) || weightSum == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("gradient was summed over a weight of " + weightSum
                    + ", expected a finite total > 0");
        }
        w = params;
        g = gradSum;
        n = weightSum;
        try {
            lanes.run(blockSq.length, meanAndSquares);
            double sumSq = 0;
            for (double q : blockSq) {
                sumSq += q;
            }
            double norm = Math.sqrt(sumSq);
            if (!Double.isFinite(norm)) {
                return norm;
            }
            if (clipNorm > 0 && norm > clipNorm) {
                scale = clipNorm / norm;
                lanes.run(p, clip);
            }
            optimizer.step(params, gradSum, schedule.lr(globalStep), lanes);
            return norm;
        } finally {
            w = null;
            g = null;
        }
    }

    /** Blocks [b0, b1) of g: (a) and (b) in place, and each block's Σ g² in index order. */
    private void meanAndSquares(int b0, int b1) {
        for (int b = b0; b < b1; b++) {
            int from = b * NORM_BLOCK;
            int to = Math.min(g.length, from + NORM_BLOCK);
            for (int i = from; i < to; i++) {
                g[i] /= n;
            }
            if (l2 != 0) {
                for (int i = from; i < to; i++) {
                    if (weight[i]) {
                        g[i] += l2 * w[i];
                    }
                }
            }
            double q = 0;
            for (int i = from; i < to; i++) {
                q += g[i] * g[i];
            }
            blockSq[b] = q;
        }
    }

    /** The learning rate the schedule gives at 0-based global step s. */
    public double currentLr(long step) {
        return schedule.lr(step);
    }

    public Optimizer optimizer() {
        return optimizer;
    }
}
