// L-BFGS's line search: a step α along d satisfying the strong Wolfe conditions (Nocedal and Wright 3.5 and 3.6).
package io.sparkprop.trainer.optim;

/**
 * Finds α on φ(α) = f(x + α·d) with
 * <pre>
 *   f(x + αd) ≤ f + c₁·α·g·d    and    |∇f(x + αd)·d| ≤ c₂·|g·d|,    c₁ = 1e-4, c₂ = 0.9
 * </pre>
 * by widening α (×2) until the conditions hold or a bracket is found, then zooming into the bracket; the trial
 * step inside a bracket is the minimiser of the cubic through its ends, kept 10 % away from them. After a search
 * that returned α, {@link #fAccepted()} is f(x + αd) and {@link #gradient()} its gradient. Owns the scratch
 * vectors (length n) so that no search allocates; counts every evaluation of f.
 */
final class WolfeSearch {
    static final double C1 = 1e-4;
    static final double C2 = 0.9;
    /** Evaluations one line search may spend before it gives up. */
    static final int MAX_EVALUATIONS = 30;

    private final int n;
    private long evaluations;
    /** f at the step the last search accepted (its gradient is in gt). */
    private double fAccepted;
    /** The search's current f and ∇f at x (read only). */
    private double f;
    private double[] g;
    // Scratch: the trial point, its gradient, and the gradient at the bracket's low end.
    private final double[] xt;
    private final double[] gt;
    private final double[] gLo;

    WolfeSearch(int n) {
        this.n = n;
        this.xt = new double[n];
        this.gt = new double[n];
        this.gLo = new double[n];
    }

    /** f(at), its gradient written into grad; counted in {@link #evaluations()}. */
    double eval(Lbfgs.Function fn, double[] at, double[] grad) {
        evaluations++;
        return fn.valueAndGradient(at, grad);
    }

    long evaluations() {
        return evaluations;
    }

    /** f at the accepted step of the last successful search. */
    double fAccepted() {
        return fAccepted;
    }

    /** ∇f at the accepted step of the last successful search (scratch: valid until the next search). */
    double[] gradient() {
        return gt;
    }

    /**
     * Algorithm 3.5 from x (where f is {@code fx} and ∇f is {@code gx}) along the descent direction d, first trying
     * {@code a}. Returns α, or NaN when no acceptable step was found within {@link #MAX_EVALUATIONS}.
     */
    double search(double[] x, double[] d, double fx, double[] gx, double a, Lbfgs.Function fn) {
        this.f = fx;
        this.g = gx;
        double dphi0 = dot(g, d);
        double aPrev = 0;
        double fPrev = f;
        double dPrev = dphi0;
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
    private double zoom(double[] x, double[] d, Lbfgs.Function fn, double dphi0, double lo, double fLo, double dLo,
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
    private double at(Lbfgs.Function fn, double[] x, double[] d, double a) {
        for (int i = 0; i < n; i++) xt[i] = x[i] + a * d[i];
        return eval(fn, xt, gt);
    }

    static double dot(double[] a, double[] b) {
        double r = 0;
        for (int i = 0; i < a.length; i++) r += a[i] * b[i];
        return r;
    }
}
