// Plain stochastic gradient descent: the stateless baseline every other optimizer is compared with.
package io.sparkprop.trainer.optim;

/**
 * Stochastic gradient descent:
 * <pre>
 *   w ← w − lr·g
 * </pre>
 * Reference: H. Robbins and S. Monro, "A Stochastic Approximation Method", Annals of Mathematical Statistics 22(3),
 * 1951. State: {@code [t]}.
 */
public final class Sgd extends BaseOptimizer {

    /** @param size P, the length of θ */
    public Sgd(int size) {
        super("sgd", size, 0);
    }

    @Override
    protected void update(double[] w, double[] g, double lr, int from, int to) {
        for (int i = from; i < to; i++) {
            w[i] -= lr * g[i];
        }
    }
}
