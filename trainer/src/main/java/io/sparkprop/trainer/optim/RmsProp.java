// RMSprop: divide the gradient by a running root-mean-square of recent gradients.
package io.sparkprop.trainer.optim;

/**
 * RMSprop (PyTorch form, ε outside the root, no momentum, not centred):
 * <pre>
 *   v ← ρ·v + (1 − ρ)·g²
 *   w ← w − lr·g / (√v + ε)
 * </pre>
 * Reference: T. Tieleman and G. Hinton, "Lecture 6.5 — RMSprop: divide the gradient by a running average of its recent
 * magnitude", COURSERA: Neural Networks for Machine Learning, 2012. State: {@code [t, v]}.
 */
public final class RmsProp extends BaseOptimizer {

    /** Default decay ρ (Hinton's 0.9; PyTorch defaults to 0.99). */
    public static final double DECAY = 0.9;
    /** Default ε. */
    public static final double EPS = 1e-8;

    private final double rho;
    private final double eps;
    private final double[] meanSq;

    /** @param size P, the length of θ; ρ = {@value #DECAY}, ε = {@value #EPS} */
    public RmsProp(int size) {
        this(size, DECAY, EPS);
    }

    /**
     * @param size  P, the length of θ
     * @param decay ρ in [0, 1)
     * @param eps   ε &gt; 0
     */
    public RmsProp(int size, double decay, double eps) {
        super("rmsprop", size, 1);
        this.rho = checkHalfOpen("rmsprop", "decay", decay, 0, 1);
        this.eps = checkPositive("rmsprop", "epsilon", eps);
        this.meanSq = moment(0);
    }

    @Override
    protected void update(double[] w, double[] g, double lr, int from, int to) {
        for (int i = from; i < to; i++) {
            meanSq[i] = rho * meanSq[i] + (1 - rho) * g[i] * g[i];
            w[i] -= lr * g[i] / (Math.sqrt(meanSq[i]) + eps);
        }
    }
}
