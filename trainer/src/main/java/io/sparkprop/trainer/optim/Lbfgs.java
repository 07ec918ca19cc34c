// Limited-memory BFGS on plain double[]: two-loop recursion, a line search satisfying the strong Wolfe conditions.
package io.sparkprop.trainer.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimises a smooth f: ℝⁿ → ℝ one iteration at a time (the caller decides when to stop, checkpoint or validate):
 * <pre>
 *   d ← −H·g              H from the last m pairs (s, y) by the two-loop recursion, H₀ = (s·y / y·y)·I
 *   α ← line search on φ(α) = f(x + α·d): f(x + αd) ≤ f + c₁·α·g·d  and  |∇f(x + αd)·d| ≤ c₂·|g·d|
 *   s ← α·d,  y ← ∇f(x + αd) − g,  x ← x + s         (the pair is kept only when s·y &gt; 0)
 * </pre>
 * with c₁ = 1e-4, c₂ = 0.9 (J. Nocedal and S. Wright, "Numerical Optimization", 2nd ed., algorithm 7.4; the line
 * search, algorithms 3.5 and 3.6, is {@link WolfeSearch}).
 * The first iteration tries α = 1/‖g‖, later ones α = 1. Converged: ‖g‖ ≤ max(tol·|f|, 1e-12), or an accepted step
 * that lowered f by at most tol·max(|f|, 1e-8). A search that finds no acceptable step drops the history and retries
 * along −g; if that fails too, the iteration reports {@link Outcome#STALLED} and x is unchanged.
 * Every result is a pure function of x, the history and f's values, so the same f gives the same bits.
 */
public final class Lbfgs {
    /** f and its gradient: returns f(x), writes ∇f(x) into g (length n, any previous content). */
    @FunctionalInterface
    public interface Function {
        double valueAndGradient(double[] x, double[] g);
    }

    public enum Outcome { STEPPED, CONVERGED, STALLED }

    private final int n;
    private final int m;
    private final double tol;
    /** Oldest first; at most m pairs. */
    private final List<double[]> s = new ArrayList<>();
    private final List<double[]> y = new ArrayList<>();
    /** f and ∇f at the current x; g is null until the first evaluation. */
    private double f = Double.NaN;
    private double[] g;
    /** The line search, with its scratch vectors and the count of evaluations. */
    private final WolfeSearch search;

    /**
     * @param n   the dimension
     * @param m   the history size, ≥ 1
     * @param tol the convergence tolerance, ≥ 0
     */
    public Lbfgs(int n, int m, double tol) {
        if (m < 1) throw new IllegalArgumentException("L-BFGS history size must be >= 1, got " + m);
        if (!(tol >= 0)) throw new IllegalArgumentException("L-BFGS tolerance must be >= 0, got " + tol);
        this.n = n;
        this.m = m;
        this.tol = tol;
        this.search = new WolfeSearch(n);
    }

    /** One iteration from x (updated in place unless the outcome is STALLED or CONVERGED before any step). */
    public Outcome iterate(double[] x, Function fn) {
        if (x.length != n) throw new IllegalArgumentException("expected " + n + " values, got " + x.length);
        if (g == null) {
            g = new double[n];
            f = search.eval(fn, x, g);
        }
        if (!Double.isFinite(f)) {
            return Outcome.STALLED; // f(x) itself is not finite: nothing to search from (value() says so)
        }
        if (norm(g) <= Math.max(tol * Math.abs(f), 1e-12)) {
            return Outcome.CONVERGED;
        }
        double[] d = direction();
        double fOld = f;
        double alpha = search.search(x, d, f, g, firstTrial(), fn);
        if (Double.isNaN(alpha) && !s.isEmpty()) {
            s.clear();
            y.clear();
            d = direction();
            alpha = search.search(x, d, f, g, firstTrial(), fn);
        }
        if (Double.isNaN(alpha)) {
            return Outcome.STALLED;
        }
        // The search holds the accepted point's f and its gradient.
        double[] gt = search.gradient();
        double[] sk = new double[n];
        double[] yk = new double[n];
        for (int i = 0; i < n; i++) {
            sk[i] = alpha * d[i];
            yk[i] = gt[i] - g[i];
            x[i] += sk[i];
        }
        if (dot(sk, yk) > 0) {
            if (s.size() == m) {
                s.remove(0);
                y.remove(0);
            }
            s.add(sk);
            y.add(yk);
        }
        System.arraycopy(gt, 0, g, 0, n);
        f = search.fAccepted();
        return fOld - f <= tol * Math.max(Math.abs(f), 1e-8) ? Outcome.CONVERGED : Outcome.STEPPED;
    }

    /** f at the current x (NaN before the first iteration). */
    public double value() {
        return f;
    }

    /** ‖∇f‖ at the current x (NaN before the first iteration). */
    public double gradientNorm() {
        return g == null ? Double.NaN : norm(g);
    }

    /** Evaluations of f so far (the line searches' included). */
    public long evaluations() {
        return search.evaluations();
    }

    /** The line search's first trial step: 1/‖g‖ (at most 1) without history, else 1. */
    private double firstTrial() {
        return s.isEmpty() ? Math.min(1.0, 1.0 / norm(g)) : 1.0;
    }

    /** −H·g by the two-loop recursion; −g without history. */
    private double[] direction() {
        double[] q = g.clone();
        int k = s.size();
        double[] a = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            a[i] = dot(s.get(i), q) / dot(y.get(i), s.get(i));
            axpy(-a[i], y.get(i), q);
        }
        if (k > 0) {
            double[] yl = y.get(k - 1);
            double gamma = dot(s.get(k - 1), yl) / dot(yl, yl);
            for (int j = 0; j < n; j++) q[j] *= gamma;
        }
        for (int i = 0; i < k; i++) {
            double b = dot(y.get(i), q) / dot(y.get(i), s.get(i));
            axpy(a[i] - b, s.get(i), q);
        }
        for (int j = 0; j < n; j++) q[j] = -q[j];
        if (!(dot(q, g) < 0)) { // not a descent direction (rounding): fall back to steepest descent
            for (int j = 0; j < n; j++) q[j] = -g[j];
        }
        return q;
    }

    /**
     * The state a resumed run continues from, bit for bit:
     * {@code [f, k, ∇f (n), s₁ … s_k (n each), y₁ … y_k (n each)]}, oldest pair first; empty before the first
     * iteration.
     */
    public double[] state() {
        if (g == null) {
            return new double[0];
        }
        int k = s.size();
        double[] st = new double[2 + n * (1 + 2 * k)];
        st[0] = f;
        st[1] = k;
        System.arraycopy(g, 0, st, 2, n);
        for (int i = 0; i < k; i++) {
            System.arraycopy(s.get(i), 0, st, 2 + n * (1 + i), n);
            System.arraycopy(y.get(i), 0, st, 2 + n * (1 + k + i), n);
        }
        return st;
    }

    /** Restores {@link #state()}; IllegalArgumentException if it does not fit n and m. */
    public void setState(double[] st) {
        s.clear();
        y.clear();
        if (st.length == 0) {
            g = null;
            f = Double.NaN;
            return;
        }
        int k = st.length >= 2 ? (int) st[1] : -1;
        if (k < 0 || k > m || st.length != 2 + n * (1 + 2 * k)) {
            throw new IllegalArgumentException("L-BFGS state of " + st.length + " values does not fit " + n
                    + " parameters and history size " + m);
        }
        f = st[0];
        g = Arrays.copyOfRange(st, 2, 2 + n);
        for (int i = 0; i < k; i++) {
            s.add(Arrays.copyOfRange(st, 2 + n * (1 + i), 2 + n * (2 + i)));
            y.add(Arrays.copyOfRange(st, 2 + n * (1 + k + i), 2 + n * (2 + k + i)));
        }
    }

    private static double dot(double[] a, double[] b) {
        return WolfeSearch.dot(a, b);
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
