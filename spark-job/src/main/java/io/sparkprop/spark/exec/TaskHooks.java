// The hooks a barrier task hangs on its partition's worker: the Overlap hook, batch-norm's source of global sums,
// and under float32 the hook's relay (θ requests passed on, each told slice widened into the call's partial first).
package io.sparkprop.spark.exec;

import io.sparkprop.trainer.nn.BatchSums;
import io.sparkprop.trainer.nn.Overlap;
import io.sparkprop.trainer.nn.Workspace;

/**
 * Held by one {@link PartitionWorker} and used only under its lock, so it takes none of its own. The worker outlives
 * its tasks: a task's end stops only what is still its own ({@link #overlapEnds}, {@link #normSumsEnd}).
 */
final class TaskHooks {
    private final Workspace ws;
    /** batch-norm's exchanges of the partition (null without batch-norm). */
    private final ShardNorm norm;
    /** Told as the gradient of the call in progress is final, last layer first; or NONE. */
    private Overlap ready = Overlap.NONE;
    /** float32 with a hook: the call's partial, and where its widened suffix [widenedFrom, P) begins. */
    private double[] current;
    private int widenedFrom;
    /** {@link #widened} as the workspace's hook, and θ's requests passed on; made once (a step allocates nothing). */
    private final Overlap widenHook = new Overlap() {
        @Override
        public void gradientReady(int from, int to) {
            widened(from, to);
        }

        @Override
        public void paramsNeeded(int to) {
            ready.paramsNeeded(to);
        }
    };

    TaskHooks(Workspace ws, ShardNorm norm) {
        this.ws = ws;
        this.norm = norm;
    }

    /** See {@link PartitionWorker#overlap}: null or {@link Overlap#NONE} stops. */
    void overlap(Overlap hook) {
        ready = hook == null ? Overlap.NONE : hook;
    }

    /** See {@link PartitionWorker#overlapEnds}. */
    void overlapEnds(Overlap hook) {
        if (ready == hook) {
            ready = Overlap.NONE;
        }
    }

    /** See {@link PartitionWorker#normSums}: without batch-norm, nothing. */
    void normSums(BatchSums tree, double[][] known) {
        if (norm != null) {
            norm.source(tree, known);
        }
    }

    /** See {@link PartitionWorker#normSumsEnd}. */
    void normSumsEnd(BatchSums tree) {
        if (norm != null) {
            norm.sourceEnds(tree);
        }
    }

    /** Asks the hook for θ[0, to) before it is read. */
    void paramsNeeded(int to) {
        ready.paramsNeeded(to);
    }

    /**
     * The workspace's hook for a call on θ as doubles (θ.length = {@code n}). A float32 workspace widens its partial
     * only at the end of the call: no early slices then, and its rounding of θ reads all of it first.
     */
    Overlap onDoubles(int n) {
        if (!ws.isFloat32()) {
            return ready;
        }
        ready.paramsNeeded(n);
        return Overlap.NONE;
    }

    /** float32: the workspace's hook for a call into {@code out}, which widens each told slice into it first. */
    Overlap onFloats(double[] out) {
        current = out;
        widenedFrom = ws.floatGradient().length;
        return ready == Overlap.NONE ? Overlap.NONE : widenHook;
    }

    /** float32: the call has ended (returned or thrown); the call's partial is no longer held. */
    void floatsEnd() {
        current = null;
    }

    /** float32, after a call that returned: the float partial's prefix not widened yet, [0, widenedFrom), into out. */
    void widenRest(double[] out) {
        float[] g = ws.floatGradient();
        for (int i = 0; i < widenedFrom; i++) out[i] = 0.0 + g[i];
    }

    /** float32 with a hook: layer slice [from, to) of the float partial widened into the call's partial, then told. */
    private void widened(int from, int to) {
        float[] g = ws.floatGradient();
        for (int i = from; i < to; i++) current[i] = 0.0 + g[i];
        widenedFrom = Math.min(widenedFrom, from);
        ready.gradientReady(from, to);
    }
}
