// SGD with Nesterov accelerated momentum: the momentum step is taken from the look-ahead point.
package io.sparkprop.trainer.optim;

/**
 * Nesterov momentum in the reformulation of Bengio et al. / PyTorch (gradient at the current point, no dampening):
 * <pre>
 *   v ← μ·v + g
 *   w ← w − lr·(g + μ·v)
 * </pre>
 * References: Y. Nesterov, "A method for solving the convex programming problem with convergence rate O(1/k²)",
 * Soviet Mathematics Doklady 27, 1983; I. Sutskever, J. Martens, G. Dahl and G. Hinton, "On the importance of
 * initialization and momentum in deep learning", ICML 2013; Y. Bengio, N. Boulanger-Lewandowski and R. Pascanu,
 * "Advances in optimizing recurrent networks", ICASSP 2013. State: {@code [t, v]}.
 */
public final class Nesterov extends BaseOptimizer {

    private final double mu;
    private final double[] v;

    /**
     * @param size P, the length of θ
     * @param mu   momentum μ in [0, 1) (0.9 is usual; 0 gives plain SGD)
     */
    public Nesterov(int size, double mu) {
        super("nesterov", size, 1);
        this.mu = checkHalfOpen("nesterov", "momentum", mu, 0, 1);
        this.v = moment(0);
    }

    @Override
    protected void update(double[] w, double[] g, double lr, int from, int to) {
        for (int i = from; i < to; i++) {
            v[i] = mu * v[i] + g[i];
            w[i] -= lr * (g[i] + mu * v[i]);
        }
    }
}
