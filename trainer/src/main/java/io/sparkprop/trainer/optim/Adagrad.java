// Adagrad: per-parameter learning rates shrinking with the accumulated squared gradient.
package io.sparkprop.trainer.optim;

/**
 * Adagrad (PyTorch form, ε outside the root, initial accumulator 0):
 * <pre>
 *   G ← G + g²
 *   w ← w − lr·g / (√G + ε)
 * </pre>
 * Reference: J. Duchi, E. Hazan and Y. Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 12, 2011. State: {@code [t, G]}.
 */
public final class Adagrad extends BaseOptimizer {

    /** Default ε. */
    public static final double EPS = 1e-8;

    private final double eps;
    private final double[] sumSq;

    /** @param size P, the length of θ; ε = {@value #EPS} */
    public Adagrad(int size) {
        this(size, EPS);
    }

    /**
     * @param size P, the length of θ
     * @param eps  ε &gt; 0, guards the division
     */
    public Adagrad(int size, double eps) {
        super("adagrad", size, 1);
        this.eps = checkPositive("adagrad", "epsilon", eps);
        this.sumSq = moment(0);
    }

    @Override
    protected void update(double[] w, double[] g, double lr, int from, int to) {
        for (int i = from; i < to; i++) {
            sumSq[i] += g[i] * g[i];
            w[i] -= lr * g[i] / (Math.sqrt(sumSq[i]) + eps);
        }
    }
}
