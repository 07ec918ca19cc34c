// SGD with classical (heavy-ball) momentum, in the PyTorch form so a changing learning rate acts at once.
package io.sparkprop.trainer.optim;

/**
 * Heavy-ball momentum, PyTorch form (no dampening):
 * <pre>
 *   v ← μ·v + g
 *   w ← w − lr·v
 * </pre>
 * With a constant lr this equals the Sutskever form v ← μ·v − lr·g, w ← w + v (scaled by lr); with a schedule the
 * PyTorch form applies the new lr to the whole velocity immediately. v starts at 0, so the first step is plain SGD.
 * Reference: B. T. Polyak, "Some methods of speeding up the convergence of iteration methods", USSR Computational
 * Mathematics and Mathematical Physics 4(5), 1964. State: {@code [t, v]}.
 */
public final class Momentum extends BaseOptimizer {

    private final double mu;
    private final double[] v;

    /**
     * @param size P, the length of θ
     * @param mu   momentum μ in [0, 1) (0.9 is usual)
     */
    public Momentum(int size, double mu) {
        super("momentum", size, 1);
        this.mu = checkHalfOpen("momentum", "momentum", mu, 0, 1);
        this.v = moment(0);
    }

    @Override
    protected void update(double[] w, double[] g, double lr, int from, int to) {
        for (int i = from; i < to; i++) {
            v[i] = mu * v[i] + g[i];
            w[i] -= lr * v[i];
        }
    }
}
