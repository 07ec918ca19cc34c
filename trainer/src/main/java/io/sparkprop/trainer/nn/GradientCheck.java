// Central-difference check of every parameter gradient and the input gradient (the cs231n habit, as a feature).
package io.sparkprop.trainer.nn;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Gemm;

/**
 * Compares the analytic gradient from {@link Objective#lossAndGradient} with
 * (L(θ + ε) − L(θ − ε)) / 2ε for every parameter and every input value, in double precision. L is the training
 * loss Σ w·C over the rows: on a {@link Dataset#weighted} table each row's training weight
 * ({@link Dataset#trainingWeight}: row weight × class weight) multiplies its loss and gradient, as in a step.
 * Relative error |a − n| / max(|a| + |n|, floor): the floor keeps values that are zero up to rounding
 * (≈1e-10 here) from reading as large relative errors.
 * For a float32 network the analytic gradient comes from the float32 path and the numeric one from the same
 * function computed in float64 (central differences of a float loss would drown in its rounding): the check
 * then bounds how far single precision moves the gradient, with {@link #TOLERANCE_FLOAT32}.
 */
public final class GradientCheck {
    public static final double EPS = 1e-5;
    private static final double FLOOR = 1e-4;
    /** Largest relative error accepted for the float64 path. */
    public static final double TOLERANCE = 1e-6;
    /**
     * For the float32 path: float's unit roundoff 6e-8, grown by the sums over units and rows and divided by
     * small gradients (down to the floor), leaves Float32GradientCheckTest's cases at ≤ 1.2e-4; a 1 % error in a
     * single gradient value exceeds 1e-3 in every case (≈ 5e-3 with softmax-cross-entropy).
     */
    public static final double TOLERANCE_FLOAT32 = 1e-3;

    /** The dropout key of the checked pass (dropout masks are fixed by it, so L is a function of θ and x). */
    private static final long DROPOUT_KEY = 12345L;

    private GradientCheck() {
    }

    /** L at θ, Σ w·C over the rows in float64: the loss whose gradient {@link #run} checks. */
    public static double loss(Network net, double[] params, Dataset stored, Gemm gemm) {
        Network exact = net.withFloat32(false);
        return Objective.loss(exact, params, batch(stored.toFloat64()), exact.newWorkspace(gemm));
    }

    private static Batch batch(Dataset data) {
        return new Batch().set(data, null, 0, data.rows).training(true, DROPOUT_KEY);
    }

    /** Worst relative error per tensor ("W1", "b1", ..., and "input"), in layer order, checking every value. */
    public static Map<String, Double> run(Network net, double[] params, Dataset data, Gemm gemm) {
        return run(net, params, data, gemm, Integer.MAX_VALUE, 0L);
    }

    /**
     * As {@link #run(Network, double[], Dataset, Gemm)} but checks at most {@code maxPerTensor} entries of each
     * tensor (chosen by the seed) so that wide layers stay quick; the analytic gradient is still complete.
     */
    public static Map<String, Double> run(Network net, double[] params, Dataset stored, Gemm gemm, int maxPerTensor,
                                          long seed) {
        return run(net, net.activation, params, stored, gemm, maxPerTensor, seed);
    }

    /** With the analytic side's hidden-layer pair given: the self-test's way to plant a wrong derivative. */
    static Map<String, Double> run(Network net, Elementwise hidden, double[] params, Dataset stored, Gemm gemm,
                                   int maxPerTensor, long seed) {
        // The input gradient perturbs the features themselves, which needs them as doubles.
        Dataset data = stored.toFloat64();
        java.util.SplittableRandom pick = new java.util.SplittableRandom(seed);
        Workspace analytic = net.newWorkspace(gemm);
        analytic.setWantInputGradient(true);
        Batch batch = batch(data);
        int n = data.rows;
        double[] grad = new double[params.length];
        if (hidden == net.activation) {
            Objective.lossAndGradient(net, params, batch, analytic, grad);
        } else if (net.float32) {
            throw new IllegalArgumentException("a planted hidden-layer pair runs on the float64 path only");
        } else {
            Objective.lossAndGradient(net, hidden, params, batch, analytic, grad);
        }
        double[] dX = analytic.inputGradient(n).clone();
        // Numeric differences always in float64 (the same workspace when the network is float64).
        Network exact = net.withFloat32(false);
        Workspace ws = exact == net ? analytic : exact.newWorkspace(gemm);

        Map<String, Double> worst = new LinkedHashMap<>();
        ParamLayout layout = exact.layout();
        double[] theta = params.clone();
        for (int i = 0; i < theta.length; i++) {
            int tensorSize = tensorSize(layout, i);
            if (tensorSize > maxPerTensor && pick.nextInt(tensorSize) >= maxPerTensor) {
                continue;
            }
            double numeric = centralDifference(theta, i, exact, batch, ws);
            worst.merge(layout.tensorName(i), relativeError(grad[i], numeric), Math::max);
        }
        // The input gradient: perturb the data itself.
        double[] x = data.x;
        double inputWorst = 0;
        Categorical cats = exact.stack == null ? Categorical.NONE : exact.stack.categorical();
        for (int i = 0; i < x.length; i++) {
            if (cats.isSlot(i % data.features)) {
                continue; // a category code is an index: nudging it is not a derivative (its gradient is 0)
            }
            if (x.length > maxPerTensor && pick.nextInt(x.length) >= maxPerTensor) {
                continue;
            }
            double numeric = centralDifference(x, i, exact, batch, ws, theta);
            inputWorst = Math.max(inputWorst, relativeError(dX[i], numeric));
        }
        worst.put("input", inputWorst);
        return worst;
    }

    /** Entries in the tensor (W_l or b_l) that holds flat index i. */
    private static int tensorSize(ParamLayout layout, int i) {
        for (int l = layout.layers() - 1; l >= 0; l--) {
            if (i >= layout.wOffset(l)) {
                return i < layout.bOffset(l) ? layout.out(l) * layout.in(l) : layout.biasSize(l);
            }
        }
        throw new IndexOutOfBoundsException(i);
    }

    /** The tolerance fit for the network's precision. */
    public static double tolerance(Network net) {
        return net.float32 ? TOLERANCE_FLOAT32 : TOLERANCE;
    }

    public static double relativeError(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), FLOOR);
    }

    private static double centralDifference(double[] theta, int i, Network net, Batch batch, Workspace ws) {
        return centralDifference(theta, i, net, batch, ws, theta);
    }

    /** Perturbs v[i] (a parameter or an input value) and evaluates the loss at the given parameters. */
    private static double centralDifference(double[] v, int i, Network net, Batch batch, Workspace ws,
                                            double[] params) {
        double saved = v[i];
        v[i] = saved + EPS;
        double plus = Objective.loss(net, params, batch, ws);
        v[i] = saved - EPS;
        double minus = Objective.loss(net, params, batch, ws);
        v[i] = saved;
        return (plus - minus) / (2 * EPS);
    }
}
