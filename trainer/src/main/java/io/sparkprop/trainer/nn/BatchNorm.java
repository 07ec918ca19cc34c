// batch-norm with the statistics of the whole global batch: per channel of a [c, h, w] input (PyTorch's
// BatchNorm2d) or per feature of a flat one (BatchNorm1d), forward and backward, double and float.
package io.sparkprop.trainer.nn;

/**
 * One per batch-norm layer and workspace. Per example the input is C channels of S = h·w values (S = 1 when
 * flat), CHW; N = rows·S over the global batch. Training:
 * <pre>
 *   forward:  [N, Σx, Σx²] of the shard → {@link BatchSums#allSum} → the batch's; μ = Σx/N, σ² = Σx²/N − μ²
 *             x̂ = (x − μ)/√(σ² + ε),  y = γ·x̂ + β
 *   backward: dγ += Σ dOut·x̂, dβ += Σ dOut over the shard (partials, summed like every gradient);
 *             [Σ dOut, Σ dOut·x̂] → allSum → the batch's G1, G2;  dIn = γ/√(σ² + ε)·(dOut − G1/N − x̂·G2/N)
 * </pre>
 * Evaluation normalises with the running mean and variance instead. Those sit after γ and β in the flat vector
 * ({@link ParamLayout}); {@link RunningStatistics} moves them once per step, on the thread that owns θ, from the
 * global sums of the forward pass: r ← (1 − momentum)·r + momentum·v, with the unbiased variance σ²·N/(N − 1),
 * as PyTorch does. Sums are taken in double in both precisions; rows are not weighted (as PyTorch).
 */
final class BatchNorm {
    final int layer;
    final int channels;
    final int plane;
    final double momentum;
    final double epsilon;
    /** [N, Σx (C), Σx² (C)] of the last training forward pass: the global batch's after the exchange. */
    final double[] sums;
    /** [Σ dOut (C), Σ dOut·x̂ (C)]: the shard's, then the global batch's. */
    final double[] dSums;
    final double[] mean;
    final double[] invStd;
    /** The last forward pass used the batch's statistics (training), not the running ones. */
    boolean batchStats;

    BatchNorm(int layer, Shape in, LayerSpec s) {
        this.layer = layer;
        this.channels = channels(in);
        this.plane = in.size() / channels;
        this.momentum = s.momentum();
        this.epsilon = s.epsilon();
        this.sums = new double[1 + 2 * channels];
        this.dSums = new double[2 * channels];
        this.mean = new double[channels];
        this.invStd = new double[channels];
    }

    /** C: the channels of a [c, h, w] input, the features of a flat one. */
    static int channels(Shape in) {
        return in.isFlat() ? in.size() : in.channels();
    }

    /** γ = 1, β = 0, running mean 0, running variance 1 for every batch-norm layer of the layout. */
    static void initialise(ParamLayout layout, double[] params) {
        for (int l = 0; l < layout.layers(); l++) {
            int c = layout.normChannels(l);
            int b = layout.bOffset(l);
            for (int i = 0; i < c; i++) {
                params[b + i] = 1.0;
                params[b + c + i] = 0.0;
                params[b + 2 * c + i] = 0.0;
                params[b + 3 * c + i] = 1.0;
            }
        }
    }

    /** μ and 1/√(σ² + ε) per channel: the global sums' in training, else the running statistics at base. */
    private void statistics(boolean training, double[] p, float[] pF, int base, BatchSums ex) {
        int c = channels;
        batchStats = training;
        if (training) {
            ex.allSum(layer, false, sums);
            double n = sums[0];
            for (int j = 0; j < c; j++) {
                double mu = sums[1 + j] / n;
                mean[j] = mu;
                invStd[j] = 1.0 / Math.sqrt(Math.max(0.0, sums[1 + c + j] / n - mu * mu) + epsilon);
            }
            return;
        }
        for (int j = 0; j < c; j++) {
            mean[j] = p != null ? p[base + 2 * c + j] : pF[base + 2 * c + j];
            invStd[j] = 1.0 / Math.sqrt((p != null ? p[base + 3 * c + j] : pF[base + 3 * c + j]) + epsilon);
        }
    }

    /** y = γ·x̂ + β for n examples; x̂ kept for the backward pass; γ, β (and the running statistics) at base. */
    void forward(double[] y, double[] xHat, double[] x, double[] p, int base, int n, boolean training,
                 BatchSums ex) {
        int c = channels, s = plane;
        if (training) {
            java.util.Arrays.fill(sums, 0.0);
            sums[0] = (double) n * s;
            for (int i = 0, o = 0; i < n; i++) {
                for (int j = 0; j < c; j++, o += s) {
                    double s1 = 0, s2 = 0;
                    for (int t = o; t < o + s; t++) {
                        s1 += x[t];
                        s2 += x[t] * x[t];
                    }
                    sums[1 + j] += s1;
                    sums[1 + c + j] += s2;
                }
            }
        }
        statistics(training, p, null, base, ex);
        for (int i = 0, o = 0; i < n; i++) {
            for (int j = 0; j < c; j++, o += s) {
                double mu = mean[j], r = invStd[j], g = p[base + j], b = p[base + c + j];
                for (int t = o; t < o + s; t++) {
                    double h = (x[t] - mu) * r;
                    xHat[t] = h;
                    y[t] = g * h + b;
                }
            }
        }
    }

    /** grad's γ, β += this shard's Σ dOut·x̂, Σ dOut; dIn (null: not wanted, no exchange) overwritten. */
    void backward(double[] dIn, double[] grad, double[] dOut, double[] xHat, double[] p, int base, int n,
                  BatchSums ex) {
        int c = channels, s = plane;
        shardSums(dOut, null, xHat, null, n);
        for (int j = 0; j < c; j++) {
            grad[base + j] += dSums[c + j];
            grad[base + c + j] += dSums[j];
        }
        if (dIn == null) {
            return;
        }
        double inv = exchange(ex);
        for (int i = 0, o = 0; i < n; i++) {
            for (int j = 0; j < c; j++, o += s) {
                double k = p[base + j] * invStd[j], m1 = dSums[j] * inv, m2 = dSums[c + j] * inv;
                for (int t = o; t < o + s; t++) dIn[t] = k * (dOut[t] - m1 - xHat[t] * m2);
            }
        }
    }

    /** The float pass: x̂ and y in float from double statistics. */
    void forward(float[] y, float[] xHat, float[] x, float[] p, int base, int n, boolean training, BatchSums ex) {
        int c = channels, s = plane;
        if (training) {
            java.util.Arrays.fill(sums, 0.0);
            sums[0] = (double) n * s;
            for (int i = 0, o = 0; i < n; i++) {
                for (int j = 0; j < c; j++, o += s) {
                    double s1 = 0, s2 = 0;
                    for (int t = o; t < o + s; t++) {
                        double v = x[t];
                        s1 += v;
                        s2 += v * v;
                    }
                    sums[1 + j] += s1;
                    sums[1 + c + j] += s2;
                }
            }
        }
        statistics(training, null, p, base, ex);
        for (int i = 0, o = 0; i < n; i++) {
            for (int j = 0; j < c; j++, o += s) {
                double mu = mean[j], r = invStd[j];
                float g = p[base + j], b = p[base + c + j];
                for (int t = o; t < o + s; t++) {
                    float h = (float) ((x[t] - mu) * r);
                    xHat[t] = h;
                    y[t] = g * h + b;
                }
            }
        }
    }

    /** The float pass OVERWRITES its slice of the float partial: dγ, dβ, and 0 for the running statistics. */
    void backward(float[] dIn, float[] grad, float[] dOut, float[] xHat, float[] p, int base, int n,
                  BatchSums ex) {
        int c = channels, s = plane;
        shardSums(null, dOut, null, xHat, n);
        for (int j = 0; j < c; j++) {
            grad[base + j] = (float) dSums[c + j];
            grad[base + c + j] = (float) dSums[j];
        }
        java.util.Arrays.fill(grad, base + 2 * c, base + 4 * c, 0.0f);
        if (dIn == null) {
            return;
        }
        double inv = exchange(ex);
        for (int i = 0, o = 0; i < n; i++) {
            for (int j = 0; j < c; j++, o += s) {
                double k = p[base + j] * invStd[j], m1 = dSums[j] * inv, m2 = dSums[c + j] * inv;
                for (int t = o; t < o + s; t++) dIn[t] = (float) (k * (dOut[t] - m1 - xHat[t] * m2));
            }
        }
    }

    /** dSums ← this shard's [Σ dOut, Σ dOut·x̂] per channel (one precision's arrays given, the other null). */
    private void shardSums(double[] dOut, float[] dOutF, double[] xHat, float[] xHatF, int n) {
        int c = channels, s = plane;
        java.util.Arrays.fill(dSums, 0.0);
        for (int i = 0, o = 0; i < n; i++) {
            for (int j = 0; j < c; j++, o += s) {
                double s1 = 0, s2 = 0;
                for (int t = o; t < o + s; t++) {
                    double d = dOut != null ? dOut[t] : dOutF[t];
                    s1 += d;
                    s2 += d * (xHat != null ? xHat[t] : xHatF[t]);
                }
                dSums[j] += s1;
                dSums[c + j] += s2;
            }
        }
    }

    /**
     * The batch's G1, G2 in dSums; returns 1/N. With the running statistics (a backward pass after an evaluation
     * forward) μ and σ² are constants: G1 = G2 = 0 and nothing is exchanged.
     */
    private double exchange(BatchSums ex) {
        if (!batchStats) {
            java.util.Arrays.fill(dSums, 0.0);
            return 0.0;
        }
        ex.allSum(layer, true, dSums);
        return 1.0 / sums[0];
    }

    /** The running statistics at base ← this layer's last global batch statistics (see the class comment). */
    void updateRunning(double[] params, int base) {
        updateRunning(params, base, channels, momentum, sums, 0);
    }

    /** As above from global sums [N, Σx (C), Σx² (C)] at sums[from..]: the one formula every engine uses. */
    static void updateRunning(double[] params, int base, int c, double momentum, double[] sums, int from) {
        double n = sums[from];
        double unbiased = n > 1 ? n / (n - 1) : 1.0;
        for (int j = 0; j < c; j++) {
            double mu = sums[from + 1 + j] / n;
            double var = Math.max(0.0, sums[from + 1 + c + j] / n - mu * mu);
            params[base + 2 * c + j] = (1 - momentum) * params[base + 2 * c + j] + momentum * mu;
            params[base + 3 * c + j] = (1 - momentum) * params[base + 3 * c + j] + momentum * var * unbiased;
        }
    }
}
