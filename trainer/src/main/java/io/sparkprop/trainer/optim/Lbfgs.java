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
 * with c₁ = 1e-4, c₂ = 0.9 (J. Nocedal and S. Wright, "Numerical Optimization", 2nd ed., algorithms 7.4, 3.5 and
 * 3.6; the trial step inside a bracket is the minimiser of the cubic through its ends, kept 10 % away from them).
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

    static final double C1 = 1e-4;
    static final double C2 = 0.9;
    /** Evaluations one line search may spend before it gives up. */
    static final int MAX_EVALUATIONS = 30;

    private final int n;
    private final int m;
    private final double tol;
    /** Oldest first; at most m pairs. */
    private final List<double[]> s = new ArrayList<>();
    private final List<double[]> y = new ArrayList<>();
    /** f and ∇f at the current x; g is null until the first evaluation. */
    private double f = Double.NaN;
    private double[] g;
    private long evaluations;
    /** f at the step the last line search accepted (its gradient is in gt). */
    private double fAccepted;
    // Scratch of the line search.
    private final double[] xt;
    private final double[] gt;
    private final double[] gLo;

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
        this.xt = new double[n];
        this.gt = new double[n];
        this.gLo = new double[n];
    }

    /** One iteration from x (updated in place unless the outcome is STALLED or CONVERGED before any step). */
    public Outcome iterate(double[] x, Function fn) {
        if (x.length != n) throw new IllegalArgumentException("expected " + n + " values, got " + x.length);
        if (g == null) {
            g = new double[n];
            f = eval(fn, x, g);
        }
        if (!Double.isFinite(f)) {
            return Outcome.STALLED; // f(x) itself is not finite: nothing to search from (value() says so)
        }
        if (norm(g) <= Math.max(tol * Math.abs(f), 1e-12)) {
            return Outcome.CONVERGED;
        }
        double[] d = direction();
        double fOld = f;
        double alpha = search(x, d, fn);
        if (Double.isNaN(alpha) && !s.isEmpty()) {
            s.clear();
            y.clear();
            d = direction();
            alpha = search(x, d, fn);
        }
        if (Double.isNaN(alpha)) {
            return Outcome.STALLED;
        }
        // The search left the accepted point's f in fAccepted and its gradient in gt.
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
        f = fAccepted;
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
        return evaluations;
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
     * Nocedal and Wright's algorithm 3.5: widen α (×2) until the strong Wolfe conditions hold or a bracket is
     * found, then zoom (3.6). Returns α with its f in fAccepted and its gradient in gt, or NaN.
     */
    private double search(double[] x, double[] d, Function fn) {
        double dphi0 = dot(g, d);
        double aPrev = 0;
        double fPrev = f;
        double dPrev = dphi0;
        double a = s.isEmpty() ? Math.min(1.0, 1.0 / norm(g)) : 1.0;
        for (int i = 0; i < MAX_EVALUATIONS; i++) {
            double fa = at(fn, x, d, a);
            double da = dot(gt, d);
            if (!Double.isFinite(fa) || fa > f + C1 * a * dphi0 || (i > 0 && fa >= fPrev)) {
                return zoom(x, d, fn, dphi0, aPrev, fPrev, dPrev, a, fa, da, MAX_EVALUATIONS - i - 1);
            }
            if (Math.abs(da) <= -C2 * dphi0) {
                fAccepted = fa;
                return a;
            }
            if (da >= 0) {
                System.arraycopy(gt, 0, gLo, 0, n);
                return zoom(x, d, fn, dphi0, a, fa, da, aPrev, fPrev, dPrev, MAX_EVALUATIONS - i - 1);
            }
            System.arraycopy(gt, 0, gLo, 0, n);
            aPrev = a;
            fPrev = fa;
            dPrev = da;
            a *= 2;
        }
        return acceptLo(aPrev, fPrev);
    }

    /**
     * Algorithm 3.6 between lo (sufficient decrease holds, the lowest f so far; its gradient in gLo unless lo = 0)
     * and hi.
     */
    private double zoom(double[] x, double[] d, Function fn, double dphi0, double lo, double fLo, double dLo,
                        double hi, double fHi, double dHi, int budget) {
        for (int j = 0; j < budget; j++) {
            double a = trial(lo, fLo, dLo, hi, fHi, dHi);
            if (a == lo || a == hi) {
                break; // the bracket is below the resolution of α
            }
            double fa = at(fn, x, d, a);
            double da = dot(gt, d);
            if (!Double.isFinite(fa) || fa > f + C1 * a * dphi0 || fa >= fLo) {
                hi = a;
                fHi = fa;
                dHi = da;
            } else {
                if (Math.abs(da) <= -C2 * dphi0) {
                    fAccepted = fa;
                    return a;
                }
                if (da * (hi - lo) >= 0) {
                    hi = lo;
                    fHi = fLo;
                    dHi = dLo;
                }
                lo = a;
                fLo = fa;
                dLo = da;
                System.arraycopy(gt, 0, gLo, 0, n);
            }
        }
        return acceptLo(lo, fLo);
    }

    /** Out of evaluations: the best point seen, if it lowered f (only the curvature condition is missed). */
    private double acceptLo(double lo, double fLo) {
        if (lo > 0 && fLo < f) {
            System.arraycopy(gLo, 0, gt, 0, n);
            fAccepted = fLo;
            return lo;
        }
        return Double.NaN;
    }

    /** The minimiser of the cubic through (lo, fLo, dLo) and (hi, fHi, dHi), kept 10 % inside; else the middle. */
    private static double trial(double lo, double fLo, double dLo, double hi, double fHi, double dHi) {
        double mid = lo + 0.5 * (hi - lo);
        if (!Double.isFinite(fHi) || !Double.isFinite(dHi)) {
            return mid;
        }
        double d1 = dLo + dHi - 3 * (fLo - fHi) / (lo - hi);
        double r = d1 * d1 - dLo * dHi;
        if (!(r >= 0)) {
            return mid;
        }
        double d2 = Math.signum(hi - lo) * Math.sqrt(r);
        double a = hi - (hi - lo) * (dHi + d2 - d1) / (dHi - dLo + 2 * d2);
        double left = Math.min(lo, hi);
        double width = Math.abs(hi - lo);
        if (!Double.isFinite(a) || a < left + 0.1 * width || a > left + 0.9 * width) {
            return mid;
        }
        return a;
    }

    /** f(x + a·d), its gradient in gt. */
    private double at(Function fn, double[] x, double[] d, double a) {
        for (int i = 0; i < n; i++) xt[i] = x[i] + a * d[i];
        return eval(fn, xt, gt);
    }

    private double eval(Function fn, double[] at, double[] grad) {
        evaluations++;
        return fn.valueAndGradient(at, grad);
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
        double r = 0;
        for (int i = 0; i < a.length; i++) r += a[i] * b[i];
        return r;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
