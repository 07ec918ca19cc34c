// batch-norm as the engines see it: the exchanges a pass makes, and the running statistics moved once per step
// on the thread that owns θ, from a workspace's last pass or from sums an engine added up itself.
package io.sparkprop.trainer.nn;

/**
 * The running mean and variance of each batch-norm layer sit after its γ and β in θ ({@link ParamLayout}); the
 * optimizer never moves them (their gradient is always 0). After each update the engine calls one of the
 * {@code update} methods with the global batch's forward sums, so every engine and protocol applies the same
 * formula ({@link BatchNorm}) to the same bits.
 */
public final class RunningStatistics {
    private RunningStatistics() {
    }

    /**
     * The exchanges one training pass makes, in call order, each {layer, 1 for the backward pass else 0, values}:
     * a forward exchange per batch-norm layer (first to last), then a backward one per batch-norm layer (last to
     * first) whose input gradient is wanted (all but a first layer, unless {@code inputGradient}). Empty without
     * batch-norm. An engine whose shard has no rows makes these calls with zeros ({@link BatchSums}).
     */
    public static int[][] exchanges(Network net, boolean inputGradient) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        if (net.stack == null) {
            return new int[0][];
        }
        LayerStack s = net.stack;
        for (int k = 0; k < s.size(); k++) {
            if (s.layer(k).kind() == LayerKind.BATCH_NORM) {
                out.add(new int[]{k, 0, 1 + 2 * BatchNorm.channels(s.shape(k))});
            }
        }
        for (int k = s.size() - 1; k >= 0; k--) {
            if (s.layer(k).kind() == LayerKind.BATCH_NORM && (k > 0 || inputGradient)) {
                out.add(new int[]{k, 1, 2 * BatchNorm.channels(s.shape(k))});
            }
        }
        return out.toArray(new int[0][]);
    }

    /** Values of every batch-norm layer's forward sums [N, Σx (C), Σx² (C)], layer after layer (0: none). */
    public static int sumsLength(Network net) {
        int n = 0;
        for (int[] e : exchanges(net, false)) n += e[1] == 0 ? e[2] : 0;
        return n;
    }

    /**
     * The running statistics in params ← the global forward sums of a step, as {@link #sumsLength} lays them out
     * from sums[from]: what a Spark protocol's driver gets summed in the reduction tree beside the gradient.
     */
    public static void update(Network net, double[] params, double[] sums, int from) {
        if (net.stack == null) {
            return;
        }
        ParamLayout layout = net.layout();
        for (int k = 0, at = from; k < net.stack.size(); k++) {
            LayerSpec l = net.stack.layer(k);
            if (l.kind() == LayerKind.BATCH_NORM) {
                int c = BatchNorm.channels(net.stack.shape(k));
                BatchNorm.updateRunning(params, layout.bOffset(net.stack.slot(k)), c, l.momentum(), sums, at);
                at += 1 + 2 * c;
            }
        }
    }

    /**
     * Every batch-norm layer's running statistics in params ← the global batch of ws's last training pass (the
     * engine's thread that owns θ calls this once per step, after the update). No-op without batch-norm.
     */
    public static void update(Network net, double[] params, Workspace ws) {
        StackBuffers b = ws.lastStackBuffers();
        if (net.stack == null || b == null) {
            return;
        }
        ParamLayout layout = net.layout();
        for (int k = 0; k < net.stack.size(); k++) {
            BatchNorm bn = b.norm[k];
            if (bn != null && bn.batchStats) {
                bn.updateRunning(params, layout.bOffset(net.stack.slot(k)));
            }
        }
    }
}
