// The single seam of training: loss and gradient of a batch. Local trainer, Spark executors and gradcheck call it.
package io.sparkprop.trainer.nn;

import io.sparkprop.trainer.data.Dataset;

/**
 * {@link #lossAndGradient} returns the loss SUMMED over the batch and ACCUMULATES the summed gradient into
 * grad, so partial results from any split of a global batch add up exactly (the caller divides by the
 * global count). It never sees a learning rate: updates belong to the optimizer on the driver.
 * A float32 workspace runs {@link FloatObjective} instead: the same passes in single precision, with the same
 * double signature; an engine that holds θ as floats calls {@link #lossAndFloatGradient} on them.
 */
public final class Objective {
    private Objective() {
    }

    /**
     * Σ_rows loss; grad += Σ_rows ∂loss/∂params. Weighted rows ({@link Batch#weightSum}) count w·loss and
     * w·∂loss/∂params; unweighted ones take the very same arithmetic as before weights existed.
     */
    public static double lossAndGradient(Network net, double[] params, Batch batch, Workspace ws, double[] grad) {
        if (net.stack != null && !ws.float32) {
            Overlap.allNeeded(ws.overlap, net.layout()); // a layer list's pass does not ask layer by layer
            return StackPass.lossAndGradient(net, params, batch, ws, grad);
        }
        if (ws.float32) {
            return FloatObjective.lossAndGradient(net, params, batch, ws, grad);
        }
        return lossAndGradient(net, net.activation, params, batch, ws, grad);
    }

    /**
     * The float32 pass on θ given as floats (P values: rounded once per step by an engine, or as they came over
     * the wire), without the widening: Σ loss, and the float Σ ∂loss/∂θ in {@link Workspace#floatGradient} for a
     * caller that widens it while adding partials ((0.0 + g₀) + (0.0 + g₁) …: the bits of zeroed double sums
     * added to). The values are those of {@link #lossAndGradient} on the same θ, which rounds it itself.
     */
    public static double lossAndFloatGradient(Network net, float[] params, Batch batch, Workspace ws) {
        if (!ws.float32) {
            throw new IllegalStateException("a float gradient needs a float32 workspace");
        }
        if (params.length != net.paramCount()) {
            throw new IllegalArgumentException("expected θ of " + net.paramCount() + " floats, got "
                    + params.length);
        }
        return FloatObjective.floatGradient(net, params, batch, ws);
    }

    /**
     * As above with the hidden layers' function pair given (the gradient check's self-test passes a faulty one);
     * always the double pass.
     */
    static double lossAndGradient(Network net, Elementwise hidden, double[] params, Batch batch, Workspace ws,
                                  double[] grad) {
        int n = batch.size();
        Workspace.Buffers b = ws.buffers(n);
        double loss = forward(net, hidden, params, batch, ws, b);
        Overlap.allNeeded(ws.overlap, net.layout()); // the backward pass reads every W
        backward(net, hidden, params, ws, b, grad);
        return loss;
    }

    /** Forward only (dropout off unless the batch says training): Σ loss; predictions in ws.predictions(n). */
    public static double loss(Network net, double[] params, Batch batch, Workspace ws) {
        if (net.stack != null && !ws.float32) {
            return StackPass.loss(net, params, batch, ws);
        }
        if (ws.float32) {
            return FloatObjective.loss(net, params, batch, ws);
        }
        return forward(net, net.activation, params, batch, ws, ws.buffers(batch.size()));
    }

    private static double forward(Network net, Elementwise hidden, double[] params, Batch batch, Workspace ws,
                                  Workspace.Buffers b) {
        int n = b.n;
        int depth = net.depth();
        ParamLayout layout = net.layout();
        Dataset d = batch.data;
        double[] y = gather(batch, d, b, ws);
        for (int l = 0; l < depth; l++) {
            int out = layout.out(l);
            Overlap.layerNeeded(ws.overlap, layout, l); // W_l and b_l in place (an engine may still be receiving θ)
            Dense.forward(b.z[l + 1].data, params, layout, l, b.a[l].data, n, ws.gemm);
            if (l + 1 < depth) {
                hidden.forward(b.h[l + 1].data, b.z[l + 1].data, out * n);
                if (net.dropout > 0) {
                    Dropout.apply(b.a[l + 1].data, b.mask[l + 1].data, b.h[l + 1].data, out, n,
                            batch.training ? net.dropout : 0.0, batch.dropoutKey, l + 1, ws.rowId);
                }
            }
        }
        return net.loss.lossAndDelta(net.output, b.z[depth].data, y, batch.weighted() ? ws.rowWeight : null,
                net.outputs(), d.targets, n, b.p.data, b.delta[depth].data);
    }

    private static void backward(Network net, Elementwise hidden, double[] params, Workspace ws, Workspace.Buffers b,
                                 double[] grad) {
        int n = b.n;
        ParamLayout layout = net.layout();
        for (int l = net.depth() - 1; l >= 0; l--) {
            double[] dIn = l > 0 ? b.dA[l].data : (ws.wantInputGradient ? b.dX.data : null);
            Dense.backward(dIn, grad, b.delta[l + 1].data, params, layout, l, b.a[l].data, n, ws.gemm);
            Overlap.layerDone(ws.overlap, layout, l); // dW, db of layer l are final: an engine may send them on
            if (l > 0) {
                int units = layout.in(l);
                double[] dA = b.dA[l].data;
                if (net.dropout > 0) {
                    // a = h ⊙ mask, so ∂/∂h = ∂/∂a ⊙ mask.
                    double[] m = b.mask[l].data;
                    for (int i = 0; i < units * n; i++) dA[i] *= m[i];
                }
                hidden.backward(b.delta[l].data, dA, b.z[l].data, b.h[l].data, units * n);
            }
        }
    }

    /** Copies the batch's rows into a[0] (inputs × n) and its targets into y (targets × n). */
    private static double[] gather(Batch batch, Dataset d, Workspace.Buffers b, Workspace ws) {
        int f = d.features;
        int t = d.targets;
        double[] x = b.a[0].data;
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
