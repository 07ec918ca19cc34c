// Adam: momentum on the gradient and on its square, both bias-corrected for their zero start.
package io.sparkprop.trainer.optim;

/**
 * Adam, with the bias correction of the paper (Algorithm 1):
 * <pre>
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
 *   w ← w − lr·m̂ / (√v̂ + ε)
 * </pre>
 * Reference: D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
 * State: {@code [t, m, v]}. Any L2 weight decay arrives already added to g (see {@link AdamW} for the decoupled kind).
 */
public class Adam extends BaseOptimizer {

    /** Default β₁. */
    public static final double BETA1 = 0.9;
    /** Default β₂. */
    public static final double BETA2 = 0.999;
    /** Default ε. */
    public static final double EPS = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double[] m;
    private final double[] v;

    /** @param size P, the length of θ; β₁ = 0.9, β₂ = 0.999, ε = 1e-8 */
    public Adam(int size) {
        this(size, BETA1, BETA2, EPS);
    }

    /**
     * @param size  P, the length of θ
     * @param beta1 β₁ in [0, 1), decay of the first moment
     * @param beta2 β₂ in [0, 1), decay of the second moment
     * @param eps   ε &gt; 0
     */
    public Adam(int size, double beta1, double beta2, double eps) {
        this("adam", size, beta1, beta2, eps);
    }

    Adam(String name, int size, double beta1, double beta2, double eps) {
        super(name, size, 2);
        this.beta1 = checkHalfOpen(name, "beta1", beta1, 0, 1);
        this.beta2 = checkHalfOpen(name, "beta2", beta2, 0, 1);
        this.eps = checkPositive(name, "epsilon", eps);
        this.m = moment(0);
        this.v = moment(1);
    }

    @Override
    protected void update(double[] w, double[] g, double lr, int from, int to) {
        double c1 = 1 - Math.pow(beta1, t); // bias corrections, t ≥ 1
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = from; i < to; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            double mHat = m[i] / c1;
            double vHat = v[i] / c2;
            w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }
}
