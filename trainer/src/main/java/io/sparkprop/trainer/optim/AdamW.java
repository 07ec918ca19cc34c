// AdamW: Adam with weight decay decoupled from the gradient and applied to weights only, never to biases.
package io.sparkprop.trainer.optim;

/**
 * Adam with decoupled weight decay λ (PyTorch form: the decay is scaled by the scheduled lr):
 * <pre>
 *   w ← w − lr·λ·w          for weights only (mask[i]); biases are not decayed
 *   w ← Adam(w, g, lr)      exactly as {@link Adam}; g carries no L2 term
 * </pre>
 * Because the decay does not pass through m̂/√v̂, it shrinks every weight at the same relative rate, which is the point
 * of decoupling. The caller must not add L2 to g as well ({@link #decouplesWeightDecay()} is true).
 * Reference: I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019. State: {@code [t, m, v]}.
 */
public final class AdamW extends Adam {

    private final double lambda;
    private final boolean[] decayMask;

    /**
     * @param decayMask   length P; true where the parameter is decayed (a weight). Copied.
     * @param weightDecay λ ≥ 0 (0 gives Adam)
     * @param beta1       β₁ in [0, 1)
     * @param beta2       β₂ in [0, 1)
     * @param eps         ε &gt; 0
     */
    public AdamW(boolean[] decayMask, double weightDecay, double beta1, double beta2, double eps) {
        super("adamw", decayMask.length, beta1, beta2, eps);
        this.lambda = checkNonNegative("adamw", "weight decay", weightDecay);
        this.decayMask = decayMask.clone();
    }

    @Override
    protected void update(double[] w, double[] g, double lr, int from, int to) {
        if (lambda != 0) {
            double shrink = lr * lambda;
            for (int i = from; i < to; i++) {
                if (decayMask[i]) {
                    w[i] -= shrink * w[i];
                }
            }
        }
        super.update(w, g, lr, from, to);
    }

    @Override
    public boolean decouplesWeightDecay() {
        return true;
    }
}
