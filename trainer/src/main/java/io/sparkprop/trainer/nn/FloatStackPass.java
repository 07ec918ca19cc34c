// StackPass in single precision (compute.precision = float32): θ as floats, each weighted layer OVERWRITING its
// slice of the float partial gradient that the caller widens (as FloatObjective does for dense networks).
package io.sparkprop.trainer.nn;

import io.sparkprop.trainer.data.Dataset;

/** See {@link StackPass}; activations, pooling and products (sgemm) in float, the loss summed in double. */
final class FloatStackPass {
    private FloatStackPass() {
    }

    /** Σ loss; the float Σ ∂loss/∂θ in ws.gradF, θ given as floats. */
    static double floatGradient(Network net, float[] params, Batch batch, Workspace ws) {
        StackBuffers b = ws.stackBuffers(batch.size());
        double loss = forward(net, params, batch, ws, b);
        backward(net, params, ws, b, ws.gradF);
        return loss;
    }

    static double loss(Network net, float[] params, Batch batch, Workspace ws) {
        return forward(net, params, batch, ws, ws.stackBuffers(batch.size()));
    }

    private static double forward(Network net, float[] params, Batch batch, Workspace ws, StackBuffers b) {
        int n = b.n;
        LayerStack s = net.stack;
        ParamLayout layout = s.layout();
        Dataset d = batch.data;
        double[] y = gather(batch, d, b, ws);
        int m = s.size();
        for (int k = 0; k < m; k++) {
            LayerSpec l = s.layer(k);
            int count = s.shape(k + 1).size() * n;
            int slot = s.slot(k);
            switch (l.kind()) {
                case CONV2D -> {
                    if (b.fused[k]) {
                        FloatConvPool.forward(b.convF[k], b.pool[k + 1], b.actF[k + 2], params, layout.wOffset(slot),
                                layout.bOffset(slot), b.actF[k], n, b.colsF, b.tileF, ws.gemm);
                    } else {
                        b.convF[k].forward(b.preF[k + 1], params, layout.wOffset(slot), layout.bOffset(slot),
                                b.actF[k], n, b.colsF, b.tileF, ws.gemm);
                    }
                }
                case DENSE -> Dense.forward(b.preF[k + 1], params, layout, slot, b.actF[k], n, ws.gemm);
                case MAX_POOL, AVG_POOL -> {
                    if (k == 0 || !b.fused[k - 1]) b.pool[k].forward(b.actF[k + 1], b.actF[k], n);
                }
                case DROPOUT -> Dropout.apply(b.actF[k + 1], b.maskF[k + 1], b.actF[k], s.shape(k).size(), n,
                        batch.training ? l.rate() : 0.0, batch.dropoutKey, k + 1, ws.rowId);
                case BATCH_NORM -> b.norm[k].forward(b.actF[k + 1], b.maskF[k + 1], b.actF[k], params,
                        layout.bOffset(slot), n, batch.training, ws.batchSums);
                case LAYER_NORM -> LayerNorm.forward(b.actF[k + 1], b.xhatF[k + 1], b.rstdF[k + 1], params,
                        layout.wOffset(slot), layout.bOffset(slot), b.actF[k], s.shape(k).size(), n, l.epsilon());
                case EMBEDDING -> b.embedding.forward(b.actF[k + 1], params, layout.wOffset(slot), b.actF[k], n);
                case FLATTEN -> {
                }
            }
            if (b.preF[k + 1] != null && b.preF[k + 1] != b.actF[k + 1]) {
                l.activation().forward(b.actF[k + 1], b.preF[k + 1], count);
            }
        }
        return net.loss.lossAndDelta(net.output, b.preF[m], y, net.outputs(), d.targets, n, b.pF, b.dActF[m]);
    }

    private static void backward(Network net, float[] params, Workspace ws, StackBuffers b, float[] grad) {
        int n = b.n;
        LayerStack s = net.stack;
        ParamLayout layout = s.layout();
        for (int k = s.size() - 1; k >= 0; k--) {
            LayerSpec l = s.layer(k);
            float[] dOut = b.dActF[k + 1];
            float[] dIn = k > 0 || ws.wantInputGradient ? b.dActF[k] : null;
            int slot = s.slot(k);
            if (b.preF[k + 1] != null && b.preF[k + 1] != b.actF[k + 1]) {
                // δ = ∂loss/∂z, in place of ∂loss/∂a (a relu conv2d takes its δ itself, as it reads dOut)
                l.activation().backward(dOut, dOut, b.preF[k + 1], b.actF[k + 1], s.shape(k + 1).size() * n);
            }
            switch (l.kind()) {
                case CONV2D -> {
                    if (b.fused[k]) {
                        FloatConvPool.backward(b.convF[k], b.pool[k + 1], dIn, grad, b.dActF[k + 2], params,
                                layout.wOffset(slot), layout.bOffset(slot), b.actF[k], b.actF[k + 2], n, b.colsF,
                                b.tileF, ws.gemm);
                    } else {
                        b.convF[k].backward(dIn, grad, dOut, params, layout.wOffset(slot), layout.bOffset(slot),
                                b.actF[k], b.actF[k + 1], n, b.colsF, b.tileF, ws.gemm);
                    }
                }
                case DENSE -> Dense.backward(dIn, grad, dOut, params, layout, slot, b.actF[k], n, ws.gemm);
                case MAX_POOL, AVG_POOL -> {
                    // fused with the conv2d before it: that layer's backward does both
                    if (dIn != null && (k == 0 || !b.fused[k - 1])) b.pool[k].backward(dIn, dOut, b.actF[k], b.actF[k + 1], n);
                }
                case DROPOUT -> {
                    if (dIn != null) {
                        float[] mask = b.maskF[k + 1];
                        for (int i = 0; i < s.shape(k).size() * n; i++) dIn[i] = dOut[i] * mask[i];
                    }
                }
                case BATCH_NORM -> b.norm[k].backward(dIn, grad, dOut, b.maskF[k + 1], params,
                        layout.bOffset(slot), n, ws.batchSums);
                case LAYER_NORM -> LayerNorm.backward(dIn, grad, dOut, b.xhatF[k + 1], b.rstdF[k + 1], params,
                        layout.wOffset(slot), layout.bOffset(slot), s.shape(k).size(), n);
                case EMBEDDING -> b.embedding.backward(dIn, grad, dOut, b.actF[k], layout.wOffset(slot), n);
                case FLATTEN -> {
                }
            }
        }
    }

    /** Copies the batch's rows into act[0] (inputs × n) and its targets into y (targets × n). */
    private static double[] gather(Batch batch, Dataset d, StackBuffers b, Workspace ws) {
        int f = d.features;
        int t = d.targets;
        float[] x = b.actF[0];
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
