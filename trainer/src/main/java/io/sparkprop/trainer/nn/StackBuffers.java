// A workspace's buffers for a layer-list network, double or float, grown to the largest batch and reused.
package io.sparkprop.trainer.nn;

/**
 * For boundary k = 0..m (m = layers including the output layer), each (shape(k).size() × n) column-major, one
 * example per column, CHW inside it:
 * <pre>
 *   act[k]:  layer k−1's output (act[0] = X); a flatten layer's act is its input's array; none (nor dAct[k])
 *            for a float relu conv2d fused with the max-pool after it ({@link #fused})
 *   pre[k]:  a weighted layer's pre-activation z (the same array as act[k] when its activation is identity, and
 *            for a relu conv2d, which applies relu as it writes act[k]; pre[m] = logits)
 *   dAct[k]: ∂loss/∂act[k]; a weighted layer turns dAct[k+1] into its δ in place; dAct[0] = ∂loss/∂X,
 *            dAct[m] = δ of the logits written by the loss
 *   mask[k]: dropout multipliers, or a batch-norm layer's x̂
 *   cols, tile: conv2d scratch of the largest layer's block ({@link Conv2d})
 *   xhat[k], rstd[k]: a layer-norm layer's normalised input (size × n) and 1/σ per example ({@link LayerNorm})
 *   embedding: the first layer's lookup when it is an embedding ({@link Embedding})
 * </pre>
 * Only the precision's set of arrays exists (d* for double, f* for float); targets stay double.
 */
final class StackBuffers {
    final int capacity;
    int n;
    final double[][] act, pre, dAct, mask;
    final float[][] actF, preF, dActF, maskF;
    final double[] cols, tile, p;
    final float[] colsF, tileF, pF;
    /** p and dAct[0] widened, for callers that read double (float32 only). */
    final double[] pWide, dXWide;
    final Conv2d[] conv;
    final FloatConv2d[] convF;
    final Pool[] pool;
    /**
     * Float only: conv2d layer k runs fused with the max-pool k+1 ({@link FloatConvPool}), so act[k+1] and
     * dAct[k+1] (the conv's output and its gradient) are not allocated.
     */
    final boolean[] fused;
    /** A batch-norm layer's statistics and sums (null for other layers). */
    final BatchNorm[] norm;
    final double[][] xhat, rstd;
    final float[][] xhatF, rstdF;
    final Embedding embedding;
    double[] y = new double[0];

    StackBuffers(LayerStack s, int n, boolean f32) {
        this.capacity = n;
        this.n = n;
        int m = s.size();
        int[] size = new int[m + 1];
        for (int k = 0; k <= m; k++) size[k] = s.shape(k).size() * n;
        act = f32 ? null : new double[m + 1][];
        pre = f32 ? null : new double[m + 1][];
        dAct = f32 ? null : new double[m + 1][];
        mask = f32 ? null : new double[m + 1][];
        actF = f32 ? new float[m + 1][] : null;
        preF = f32 ? new float[m + 1][] : null;
        dActF = f32 ? new float[m + 1][] : null;
        maskF = f32 ? new float[m + 1][] : null;
        conv = new Conv2d[m];
        convF = new FloatConv2d[m];
        pool = new Pool[m];
        fused = new boolean[m];
        norm = new BatchNorm[m];
        xhat = new double[m + 1][];
        rstd = new double[m + 1][];
        xhatF = new float[m + 1][];
        rstdF = new float[m + 1][];
        Embedding emb = null;
        long colsMax = 0, tileMax = 0;
        alloc(0, size[0], f32, false, false);
        for (int k = 0; k < m; k++) {
            LayerSpec l = s.layer(k);
            int k1 = k + 1;
            switch (l.kind()) {
                case FLATTEN -> {
                    if (f32) {
                        actF[k1] = actF[k];
                        dActF[k1] = dActF[k];
                    } else {
                        act[k1] = act[k];
                        dAct[k1] = dAct[k];
                    }
                }
                case CONV2D, DENSE -> {
                    boolean reluConv = l.kind() == LayerKind.CONV2D && l.activation() == Activation.RELU;
                    boolean separate = k1 < m && l.activation() != Activation.IDENTITY && !reluConv;
                    if (l.kind() == LayerKind.CONV2D) {
                        conv[k] = new Conv2d(s.shape(k), s.shape(k1), l, Conv2d.BLOCK_VALUES);
                        convF[k] = new FloatConv2d(s.shape(k), s.shape(k1), l, Conv2d.BLOCK_VALUES);
                        if (f32 && k1 < m && s.layer(k1).kind() == LayerKind.MAX_POOL) {
                            pool[k1] = new Pool(s.shape(k1), s.shape(k1 + 1), s.layer(k1), n);
                            fused[k] = FloatConvPool.fits(convF[k], pool[k1]);
                        }
                        colsMax = Math.max(colsMax, conv[k].colsSize(n));
                        tileMax = Math.max(tileMax, conv[k].tileSize(n));
                    }
                    if (!fused[k]) alloc(k1, size[k1], f32, true, separate);
                }
                case MAX_POOL, AVG_POOL -> {
                    alloc(k1, size[k1], f32, false, false);
                    if (pool[k] == null) pool[k] = new Pool(s.shape(k), s.shape(k1), l, n);
                }
                case DROPOUT, BATCH_NORM -> {
                    alloc(k1, size[k1], f32, false, false);
                    if (l.kind() == LayerKind.BATCH_NORM) norm[k] = new BatchNorm(k, s.shape(k), l);
                    if (f32) maskF[k1] = new float[size[k1]];
                    else mask[k1] = new double[size[k1]];
                }
                case LAYER_NORM -> {
                    alloc(k1, size[k1], f32, false, false);
                    if (f32) {
                        xhatF[k1] = new float[size[k1]];
                        rstdF[k1] = new float[n];
                    } else {
                        xhat[k1] = new double[size[k1]];
                        rstd[k1] = new double[n];
                    }
                }
                case EMBEDDING -> {
                    alloc(k1, size[k1], f32, false, false);
                    emb = new Embedding(s.categorical(), s.shape(0).size(), l.units());
                }
            }
        }
        embedding = emb;
        int outputs = size[m];
        cols = f32 ? null : new double[(int) colsMax];
        tile = f32 ? null : new double[(int) tileMax];
        p = f32 ? null : new double[outputs];
        colsF = f32 ? new float[(int) colsMax] : null;
        tileF = f32 ? new float[(int) tileMax] : null;
        pF = f32 ? new float[outputs] : null;
        pWide = f32 ? new double[outputs] : null;
        dXWide = f32 ? new double[size[0]] : null;
    }

    /** act[k] and dAct[k]; with pre, pre[k] too, a separate array only when {@code separate}. */
    private void alloc(int k, int count, boolean f32, boolean withPre, boolean separate) {
        if (f32) {
            actF[k] = new float[count];
            dActF[k] = new float[count];
            if (withPre) preF[k] = separate ? new float[count] : actF[k];
        } else {
            act[k] = new double[count];
            dAct[k] = new double[count];
            if (withPre) pre[k] = separate ? new double[count] : act[k];
        }
    }

    /** Targets buffer (t × n), grown on first use for the data's target count. */
    double[] y(int t) {
        if (y.length < t * capacity) {
            y = new double[t * capacity];
        }
        return y;
    }
}
