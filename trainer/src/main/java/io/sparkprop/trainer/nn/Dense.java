// The affine layer z = W·a + b as a forward/backward pair over the flat parameter and gradient vectors
// (double, and a float twin for compute.precision = float32).
package io.sparkprop.trainer.nn;

import java.util.Arrays;

import io.sparkprop.trainer.kernel.Gemm;

/**
 * Layer l maps a: (in × n) to z: (out × n) with W: (out × in) and b: (out), both read from the flat
 * params at the layout's offsets, so the products run on the flat vector with no per-step copy.
 */
final class Dense {
    private Dense() {
    }

    /** z = W·a + b·1ᵀ. */
    static void forward(double[] z, double[] params, ParamLayout layout, int l, double[] a, int n, Gemm gemm) {
        int out = layout.out(l);
        int in = layout.in(l);
        gemm.gemm(false, false, out, n, in, params, layout.wOffset(l), a, 0, 0.0, z, 0);
        int bOff = layout.bOffset(l);
        for (int c = 0; c < n; c++) {
            int o = c * out;
            for (int j = 0; j < out; j++) {
                z[o + j] += params[bOff + j];
            }
        }
    }

    /**
     * Given delta = ∂loss/∂z (out × n): accumulates dW += delta·aᵀ and db += Σ_columns delta into grad, and,
     * when dIn is not null, writes dIn = Wᵀ·delta (in × n), the gradient for the layer below.
     */
    static void backward(double[] dIn, double[] grad, double[] delta, double[] params, ParamLayout layout, int l,
                         double[] a, int n, Gemm gemm) {
        int out = layout.out(l);
        int in = layout.in(l);
        gemm.gemm(false, true, out, in, n, delta, 0, a, 0, 1.0, grad, layout.wOffset(l));
        int bOff = layout.bOffset(l);
        for (int c = 0; c < n; c++) {
            int o = c * out;
            for (int j = 0; j < out; j++) {
                grad[bOff + j] += delta[o + j];
            }
        }
        if (dIn != null) {
            gemm.gemm(true, false, in, n, out, params, layout.wOffset(l), delta, 0, 0.0, dIn, 0);
        }
    }

    /** Single precision: z = W·a + b·1ᵀ with W and b read from the float copy of θ. */
    static void forward(float[] z, float[] params, ParamLayout layout, int l, float[] a, int n, Gemm gemm) {
        int out = layout.out(l);
        int in = layout.in(l);
        gemm.gemm(false, false, out, n, in, params, layout.wOffset(l), a, 0, 0.0f, z, 0);
        int bOff = layout.bOffset(l);
        for (int c = 0; c < n; c++) {
            int o = c * out;
            for (int j = 0; j < out; j++) {
                z[o + j] += params[bOff + j];
            }
        }
    }

    /**
     * Single precision: dW = delta·aᵀ and db = Σ delta OVERWRITE layer l's slice of the float partial grad (one
     * call's partial, so nothing to accumulate into, and no pass zeroing it first); dIn = Wᵀ·delta.
     */
    static void backward(float[] dIn, float[] grad, float[] delta, float[] params, ParamLayout layout, int l,
                         float[] a, int n, Gemm gemm) {
        int out = layout.out(l);
        int in = layout.in(l);
        int bOff = layout.bOffset(l);
        if (n == 0) {
            Arrays.fill(grad, layout.wOffset(l), bOff + out, 0.0f);
            return;
        }
        gemm.gemm(false, true, out, in, n, delta, 0, a, 0, 0.0f, grad, layout.wOffset(l));
        System.arraycopy(delta, 0, grad, bOff, out);
        for (int c = 1; c < n; c++) {
            int o = c * out;
            for (int j = 0; j < out; j++) {
                grad[bOff + j] += delta[o + j];
            }
        }
        if (dIn != null) {
            gemm.gemm(true, false, in, n, out, params, layout.wOffset(l), delta, 0, 0.0f, dIn, 0);
        }
    }
}
