// Objective's single-precision pass (compute.precision = float32): the same forward and backward, on floats.
package io.sparkprop.trainer.nn;

import io.sparkprop.trainer.data.Dataset;

/**
 * The double θ is rounded once per call into the workspace's float copy; products run as sgemm, activations
 * and the output loss in float, and the call's gradient is written (each layer overwriting its slice) into a
 * float partial that is widened ONCE, at the end, into the caller's double sum. So a Spark partition (one call per step) or a local thread adds a
 * float partial into a double sum, and the cross-partition sum, θ and the optimizer state stay double. The
 * loss is summed in double.
 */
final class FloatObjective {
    private FloatObjective() {
    }

    /** Σ_rows loss; grad += (double) Σ_rows ∂loss/∂params, the sum over rows taken in float. */
    static double lossAndGradient(Network net, double[] params, Batch batch, Workspace ws, double[] grad) {
        double loss = floatGradient(net, params, batch, ws);
        float[] g = ws.gradF;
        for (int i = 0; i < g.length; i++) grad[i] += g[i];
        return loss;
    }

    /** Σ_rows loss; the float Σ_rows ∂loss/∂params left in ws.gradF. */
    static double floatGradient(Network net, double[] params, Batch batch, Workspace ws) {
        FloatBuffers b = ws.floatBuffers(batch.size());
        double loss = forward(net, params, batch, ws, b);
        backward(net, ws, b, ws.gradF);
        return loss;
    }

    static double loss(Network net, double[] params, Batch batch, Workspace ws) {
        return forward(net, params, batch, ws, ws.floatBuffers(batch.size()));
    }

    private static double forward(Network net, double[] params, Batch batch, Workspace ws, FloatBuffers b) {
        float[] w = ws.paramsF;
        for (int i = 0; i < w.length; i++) w[i] = (float) params[i];
        int n = b.n;
        int depth = net.depth();
        ParamLayout layout = net.layout();
        Dataset d = batch.data;
        double[] y = gather(batch, d, b, ws);
        for (int l = 0; l < depth; l++) {
            int out = layout.out(l);
            Dense.forward(b.z[l + 1], w, layout, l, b.a[l], n, ws.gemm);
            if (l + 1 < depth) {
                net.activation.forward(b.h[l + 1], b.z[l + 1], out * n);
                if (net.dropout > 0) {
                    Dropout.apply(b.a[l + 1], b.mask[l + 1], b.h[l + 1], out, n,
                            batch.training ? net.dropout : 0.0, batch.dropoutKey, l + 1, ws.rowId);
                }
            }
        }
        return net.loss.lossAndDelta(net.output, b.z[depth], y, net.outputs(), d.targets, n, b.p, b.delta[depth]);
    }

    private static void backward(Network net, Workspace ws, FloatBuffers b, float[] grad) {
        int n = b.n;
        ParamLayout layout = net.layout();
        float[] w = ws.paramsF;
        for (int l = net.depth() - 1; l >= 0; l--) {
            float[] dIn = l > 0 ? b.dA[l] : (ws.wantInputGradient ? b.dX : null);
            Dense.backward(dIn, grad, b.delta[l + 1], w, layout, l, b.a[l], n, ws.gemm);
            if (l > 0) {
                int units = layout.in(l);
                float[] dA = b.dA[l];
                if (net.dropout > 0) {
                    float[] m = b.mask[l];
                    for (int i = 0; i < units * n; i++) dA[i] *= m[i];
                }
                net.activation.backward(b.delta[l], dA, b.z[l], b.h[l], units * n);
            }
        }
    }

    /** Copies the batch's rows into a[0] (inputs × n, as floats) and its targets into y (targets × n). */
    private static double[] gather(Batch batch, Dataset d, FloatBuffers b, Workspace ws) {
        int f = d.features;
        int t = d.targets;
        float[] x = b.a[0];
        double[] y = b.y(t);
        for (int i = 0; i < b.n; i++) {
            int r = batch.row(i);
            d.copyRow(r, x, i * f);
            System.arraycopy(d.y, r * t, y, i * t, t);
            ws.rowId[i] = batch.globalId == null ? r : batch.globalId[r];
        }
        return y;
    }
}
