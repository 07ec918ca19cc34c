// Shared bookkeeping of the optimizers: argument checks, the step counter t and the moment arrays, flattened for checkpoints.
package io.sparkprop.trainer.optim;

/**
 * Owns t and k moment vectors of length P, all allocated once here. Subclasses implement {@link #update} over a
 * range of indices, which runs after t has been incremented (so t = 1 on the first update, as bias correction
 * expects); a step runs it over [0, P) in one range or in its lanes' ranges.
 */
abstract class BaseOptimizer implements Optimizer {

    private final String name;
    /** P, the length of θ. */
    protected final int size;
    /** The step counter: steps taken so far. */
    protected long t;
    private final double[][] moments;

    BaseOptimizer(String name, int size, int momentCount) {
        if (size < 0) {
            throw new IllegalArgumentException(name + ": parameter count must be >= 0, got " + size);
        }
        if (1L + (long) momentCount * size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(name + ": " + size + " parameters are too many for one state array");
        }
        this.name = name;
        this.size = size;
        this.moments = new double[momentCount][size];
    }

    /** The k-th moment vector (zero at t = 0). */
    protected final double[] moment(int k) {
        return moments[k];
    }

    /** w[from, to) ← update(w, g, lr) elementwise over [from, to); t has already been incremented. */
    protected abstract void update(double[] w, double[] g, double lr, int from, int to);

    // The step's arguments for the lanes' body (a field, so a step allocates nothing).
    private double[] stepW;
    private double[] stepG;
    private double stepLr;
    private final Lanes.Body body = (from, to) -> update(stepW, stepG, stepLr, from, to);

    @Override
    public final void step(double[] params, double[] grad, double lr) {
        step(params, grad, lr, Lanes.SERIAL);
    }

    @Override
    public final void step(double[] params, double[] grad, double lr, Lanes lanes) {
        if (params.length != size || grad.length != size) {
            throw new IllegalArgumentException(name + ": expected params and grad of length " + size + ", got "
                    + params.length + " and " + grad.length);
        }
        if (!(lr >= 0) || lr == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + ": learning rate must be finite and >= 0, got " + lr);
        }
        t++;
        stepW = params;
        stepG = grad;
        stepLr = lr;
        try {
            lanes.run(size, body);
        } finally {
            stepW = null;
            stepG = null;
        }
    }

    @Override
    public final double[] state() {
        double[] s = new double[1 + moments.length * size];
        s[0] = t; // exact: t < 2^53
        for (int k = 0; k < moments.length; k++) {
            System.arraycopy(moments[k], 0, s, 1 + k * size, size);
        }
        return s;
    }

    @Override
    public final void setState(double[] state) {
        int expected = 1 + moments.length * size;
        if (state == null || state.length != expected) {
            throw new IllegalArgumentException(name + ": optimizer state must have length " + expected + " (1 + "
                    + moments.length + "·" + size + "), got " + (state == null ? "null" : state.length));
        }
        double t0 = state[0];
        if (!(t0 >= 0) || t0 != Math.rint(t0) || t0 > 0x1p53) {
            throw new IllegalArgumentException(name + ": optimizer state step counter must be a non-negative integer, got " + t0);
        }
        t = (long) t0;
        for (int k = 0; k < moments.length; k++) {
            System.arraycopy(state, 1 + k * size, moments[k], 0, size);
        }
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long t() {
        return t;
    }

    /** Throws unless lo ≤ x &lt; hi (x finite). */
    static double checkHalfOpen(String optimizer, String what, double x, double lo, double hi) {
        if (!(x >= lo && x < hi)) {
            throw new IllegalArgumentException(optimizer + ": " + what + " must be in [" + lo + ", " + hi + "), got " + x);
        }
        return x;
    }

    /** Throws unless x is finite and &gt; 0. */
    static double checkPositive(String optimizer, String what, double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(optimizer + ": " + what + " must be finite and > 0, got " + x);
        }
        return x;
    }

    /** Throws unless x is finite and ≥ 0. */
    static double checkNonNegative(String optimizer, String what, double x) {
        if (!(x >= 0) || x == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(optimizer + ": " + what + " must be finite and >= 0, got " + x);
        }
        return x;
    }
}
