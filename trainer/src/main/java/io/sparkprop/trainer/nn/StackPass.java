// Objective's pass for a layer-list network (model.layers): forward through each layer, then backward in
// reverse, on the flat parameter and gradient vectors. Double here; FloatStackPass is the float32 twin.
package io.sparkprop.trainer.nn;

import io.sparkprop.trainer.data.Dataset;

/**
 * Every layer is a forward/backward pair over {@link StackBuffers}: forward writes its outputs, backward
 * ACCUMULATES its weight gradient into grad (the same contract as the dense path, so partial sums over any split
 * of a batch add up) and overwrites the gradient of its input. The output layer is dense, its logits go to the
 * configured output unit and loss.
 */
final class StackPass {
    private StackPass() {
    }

    static double lossAndGradient(Network net, double[] params, Batch batch, Workspace ws, double[] grad) {
        StackBuffers b = ws.stackBuffers(batch.size());
        double loss = forward(net, params, batch, ws, b);
        backward(net, params, ws, b, grad);
        return loss;
    }

    static double loss(Network net, double[] params, Batch batch, Workspace ws) {
        return forward(net, params, batch, ws, ws.stackBuffers(batch.size()));
    }

    private static double forward(Network net, double[] params, Batch batch, Workspace ws, StackBuffers b) {
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
                case CONV2D -> b.conv[k].forward(b.pre[k + 1], params, layout.wOffset(slot), layout.bOffset(slot),
                        b.act[k], n, b.cols, b.tile, ws.gemm);
                case DENSE -> Dense.forward(b.pre[k + 1], params, layout, slot, b.act[k], n, ws.gemm);
                case MAX_POOL, AVG_POOL -> b.pool[k].forward(b.act[k + 1], b.act[k], n);
                case DROPOUT -> Dropout.apply(b.act[k + 1], b.mask[k + 1], b.act[k], s.shape(k).size(), n,
                        batch.training ? l.rate() : 0.0, batch.dropoutKey, k + 1, ws.rowId);
                case BATCH_NORM -> b.norm[k].forward(b.act[k + 1], b.mask[k + 1], b.act[k], params,
                        layout.bOffset(slot), n, batch.training, ws.batchSums);
                case LAYER_NORM -> LayerNorm.forward(b.act[k + 1], b.xhat[k + 1], b.rstd[k + 1], params,
                        layout.wOffset(slot), layout.bOffset(slot), b.act[k], s.shape(k).size(), n, l.epsilon());
                case EMBEDDING -> b.embedding.forward(b.act[k + 1], params, layout.wOffset(slot), b.act[k], n);
                case FLATTEN -> {
                }
            }
            if (b.pre[k + 1] != null && b.pre[k + 1] != b.act[k + 1]) {
                l.activation().forward(b.act[k + 1], b.pre[k + 1], count);
            }
        }
        return net.loss.lossAndDelta(net.output, b.pre[m], y, net.outputs(), d.targets, n, b.p, b.dAct[m]);
    }

    private static void backward(Network net, double[] params, Workspace ws, StackBuffers b, double[] grad) {
        int n = b.n;
        LayerStack s = net.stack;
        ParamLayout layout = s.layout();
        for (int k = s.size() - 1; k >= 0; k--) {
            LayerSpec l = s.layer(k);
            double[] dOut = b.dAct[k + 1];
            double[] dIn = k > 0 || ws.wantInputGradient ? b.dAct[k] : null;
            int slot = s.slot(k);
            if (b.pre[k + 1] != null && b.pre[k + 1] != b.act[k + 1]) {
                // δ = ∂loss/∂z, in place of ∂loss/∂a (a relu conv2d takes its δ itself, as it reads dOut)
                l.activation().backward(dOut, dOut, b.pre[k + 1], b.act[k + 1], s.shape(k + 1).size() * n);
            }
            switch (l.kind()) {
                case CONV2D -> b.conv[k].backward(dIn, grad, dOut, params, layout.wOffset(slot),
                        layout.bOffset(slot), b.act[k], b.act[k + 1], n, b.cols, b.tile, ws.gemm);
                case DENSE -> Dense.backward(dIn, grad, dOut, params, layout, slot, b.act[k], n, ws.gemm);
                case MAX_POOL, AVG_POOL -> {
                    if (dIn != null) b.pool[k].backward(dIn, dOut, b.act[k], b.act[k + 1], n);
                }
                case DROPOUT -> {
                    if (dIn != null) {
                        double[] mask = b.mask[k + 1];
                        for (int i = 0; i < s.shape(k).size() * n; i++) dIn[i] = dOut[i] * mask[i];
                    }
                }
                case BATCH_NORM -> b.norm[k].backward(dIn, grad, dOut, b.mask[k + 1], params,
                        layout.bOffset(slot), n, ws.batchSums);
                case LAYER_NORM -> LayerNorm.backward(dIn, grad, dOut, b.xhat[k + 1], b.rstd[k + 1], params,
                        layout.wOffset(slot), layout.bOffset(slot), s.shape(k).size(), n);
                case EMBEDDING -> b.embedding.backward(dIn, grad, dOut, b.act[k], layout.wOffset(slot), n);
                case FLATTEN -> {
                }
            }
        }
    }

    /** Copies the batch's rows into act[0] (inputs × n) and its targets into y (targets × n). */
    private static double[] gather(Batch batch, Dataset d, StackBuffers b, Workspace ws) {
        int f = d.features;
        int t = d.targets;
        double[] x = b.act[0];
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
