// layer-norm: each example normalised over all its D values, then γ ⊙ x̂ + β elementwise; double and float.
package io.sparkprop.trainer.nn;

/**
 * Per example (one column of D values, CHW for an image shape, as PyTorch's LayerNorm over the whole example):
 * μ = Σx/D, σ² = Σ(x − μ)²/D (biased, as PyTorch), r = 1/√(σ² + ε), x̂ = (x − μ)·r, y = γ ⊙ x̂ + β. γ and β
 * (D each) are the layer's W and b in the {@link ParamLayout}. Forward keeps x̂ (D × n) and r (n) for backward:
 * dγ += Σ_n dOut ⊙ x̂, dβ += Σ_n dOut, and with g = dOut ⊙ γ,
 * dIn = r · (g − mean(g) − x̂ · mean(g ⊙ x̂)).
 */
final class LayerNorm {
    private LayerNorm() {
    }

    static void forward(double[] y, double[] xhat, double[] rstd, double[] params, int w, int b, double[] x,
                        int d, int n, double eps) {
        for (int c = 0; c < n; c++) {
            int o = c * d;
            double sum = 0;
            for (int i = o; i < o + d; i++) sum += x[i];
            double mu = sum / d;
            double sq = 0;
            for (int i = o; i < o + d; i++) {
                double t = x[i] - mu;
                sq += t * t;
            }
            double r = 1.0 / Math.sqrt(sq / d + eps);
            rstd[c] = r;
            for (int i = 0; i < d; i++) {
                double h = (x[o + i] - mu) * r;
                xhat[o + i] = h;
                y[o + i] = params[w + i] * h + params[b + i];
            }
        }
    }

    /** grad += dγ, dβ (accumulated); dIn (overwritten, or null when not wanted). */
    static void backward(double[] dIn, double[] grad, double[] dOut, double[] xhat, double[] rstd, double[] params,
                         int w, int b, int d, int n) {
        for (int c = 0; c < n; c++) {
            int o = c * d;
            double mg = 0, mgx = 0;
            for (int i = 0; i < d; i++) {
                double dy = dOut[o + i];
                double h = xhat[o + i];
                grad[w + i] += dy * h;
                grad[b + i] += dy;
                double g = dy * params[w + i];
                mg += g;
                mgx += g * h;
            }
            if (dIn == null) {
                continue;
            }
            mg /= d;
            mgx /= d;
            double r = rstd[c];
            for (int i = 0; i < d; i++) {
                dIn[o + i] = r * (dOut[o + i] * params[w + i] - mg - xhat[o + i] * mgx);
            }
        }
    }

    /** Single precision; the sums over an example are taken in double, values stored as floats. */
    static void forward(float[] y, float[] xhat, float[] rstd, float[] params, int w, int b, float[] x, int d, int n,
                        double eps) {
        for (int c = 0; c < n; c++) {
            int o = c * d;
            double sum = 0;
            for (int i = o; i < o + d; i++) sum += x[i];
            float mu = (float) (sum / d);
            double sq = 0;
            for (int i = o; i < o + d; i++) {
                float t = x[i] - mu;
                sq += t * t;
            }
            float r = (float) (1.0 / Math.sqrt(sq / d + eps));
            rstd[c] = r;
            for (int i = 0; i < d; i++) {
                float h = (x[o + i] - mu) * r;
                xhat[o + i] = h;
                y[o + i] = params[w + i] * h + params[b + i];
            }
        }
    }

    /** The float twin; grad's γ and β slices are OVERWRITTEN (the float partial's contract, see FloatStackPass). */
    static void backward(float[] dIn, float[] grad, float[] dOut, float[] xhat, float[] rstd, float[] params, int w,
                         int b, int d, int n) {
        java.util.Arrays.fill(grad, w, w + d, 0f);
        java.util.Arrays.fill(grad, b, b + d, 0f);
        for (int c = 0; c < n; c++) {
            int o = c * d;
            double mg = 0, mgx = 0;
            for (int i = 0; i < d; i++) {
                float dy = dOut[o + i];
                float h = xhat[o + i];
                grad[w + i] += dy * h;
                grad[b + i] += dy;
                float g = dy * params[w + i];
                mg += g;
                mgx += g * h;
            }
            if (dIn == null) {
                continue;
            }
            float m1 = (float) (mg / d);
            float m2 = (float) (mgx / d);
            float r = rstd[c];
            for (int i = 0; i < d; i++) {
                dIn[o + i] = r * (dOut[o + i] * params[w + i] - m1 - xhat[o + i] * m2);
            }
        }
    }
}
