// Objective's single-precision pass (compute.precision = float32): the same forward and backward, on floats.
package io.sparkprop.trainer.nn;

import io.sparkprop.trainer.data.Dataset;

/**
 * θ comes as floats (P values): an engine rounds the driver's double θ once per step, or receives it as floats
 * over the wire; the double entry points round it here, into the workspace's copy. Products run as sgemm,
 * activations and the output loss in float, and the call's gradient is written (each layer overwriting its
 * slice) into a float partial that the caller widens while adding it into a double sum — a Spark task into its
 * partial array, the in-process engine while adding its threads' partials. So θ and the optimizer state stay
 * double, and partials are added in double (a Spark engine then rounds the summed gradient to float, see
 * {@link io.sparkprop.trainer.config.Precision#FLOAT32}). The loss is summed in double.
 */
final class FloatObjective {
    private FloatObjective() {
    }

    /** Σ_rows loss; grad += (double) Σ_rows ∂loss/∂params, the sum over rows taken in float. */
    static double lossAndGradient(Network net, double[] params, Batch batch, Workspace ws, double[] grad) {
        Overlap.allNeeded(ws.overlap, net.layout()); // rounding reads all of θ
        double loss = floatGradient(net, rounded(params, ws), batch, ws);
        float[] g = ws.gradF;
        for (int i = 0; i < g.length; i++) grad[i] += g[i];
        return loss;
    }

    /** Σ_rows loss; the float Σ_rows ∂loss/∂θ left in ws.gradF, θ given as floats (w, P values). */
    static double floatGradient(Network net, float[] w, Batch batch, Workspace ws) {
        if (net.stack != null) {
            Overlap.allNeeded(ws.overlap, net.layout()); // a layer list's pass does not ask layer by layer
            return FloatStackPass.floatGradient(net, w, batch, ws);
        }
        FloatBuffers b = ws.floatBuffers(batch.size());
        double loss = forward(net, w, batch, ws, b);
        Overlap.allNeeded(ws.overlap, net.layout()); // the backward pass reads every W
        backward(net, w, ws, b, ws.gradF);
        return loss;
    }

    static double loss(Network net, double[] params, Batch batch, Workspace ws) {
        if (net.stack != null) {
            return FloatStackPass.loss(net, rounded(params, ws), batch, ws);
        }
        return forward(net, rounded(params, ws), batch, ws, ws.floatBuffers(batch.size()));
    }

    /** θ rounded to float into the workspace's copy. */
    private static float[] rounded(double[] params, Workspace ws) {
        float[] w = ws.paramsF;
        for (int i = 0; i < w.length; i++) w[i] = (float) params[i];
        return w;
    }

    private static double forward(Network net, float[] w, Batch batch, Workspace ws, FloatBuffers b) {
        int n = b.n;
        int depth = net.depth();
        ParamLayout layout = net.layout();
        Dataset d = batch.data;
        double[] y = gather(batch, d, b, ws);
        for (int l = 0; l < depth; l++) {
            int out = layout.out(l);
            Overlap.layerNeeded(ws.overlap, layout, l); // W_l and b_l in place (an engine may still be receiving θ)
            Dense.forward(b.z[l + 1], w, layout, l, b.a[l], n, ws.gemm);
            if (l + 1 < depth) {
                net.activation.forward(b.h[l + 1], b.z[l + 1], out * n);
                if (net.dropout > 0) {
                    Dropout.apply(b.a[l + 1], b.mask[l + 1], b.h[l + 1], out, n,
                            batch.training ? net.dropout : 0.0, batch.dropoutKey, l + 1, ws.rowId);
                }
            }
        }
        return net.loss.lossAndDelta(net.output, b.z[depth], y, batch.weighted() ? ws.rowWeight : null,
                net.outputs(), d.targets, n, b.p, b.delta[depth]);
    }

    private static void backward(Network net, float[] w, Workspace ws, FloatBuffers b, float[] grad) {
        int n = b.n;
        ParamLayout layout = net.layout();
        for (int l = net.depth() - 1; l >= 0; l--) {
            float[] dIn = l > 0 ? b.dA[l] : (ws.wantInputGradient ? b.dX : null);
            Dense.backward(dIn, grad, b.delta[l + 1], w, layout, l, b.a[l], n, ws.gemm);
            Overlap.layerDone(ws.overlap, layout, l); // dW, db of layer l are final: an engine may send them on
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
        if (batch.weighted()) {
            for (int i = 0; i < b.n; i++) ws.rowWeight[i] = batch.weight(i);
        }
        return y;
    }
}
