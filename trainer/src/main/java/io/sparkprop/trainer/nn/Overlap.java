// Hooks a gradient pass calls as it goes, so an engine can overlap its exchange with the compute: before a
// layer reads its slice of θ, and as each layer's gradient is complete.
package io.sparkprop.trainer.nn;

/**
 * The backward pass walks the layers from the last to the first; once layer l's dW and db are written
 * (θ's slice [wOffset(l), wOffset(l + 1)) of the gradient, {@link ParamLayout}) nothing in the pass touches them
 * again, and it calls {@link #gradientReady} with that slice. The slices come last layer first, so the values
 * ready always form a suffix [from, P) of the gradient. A Spark barrier task sends that suffix up its tree while
 * the pass goes on; every other caller keeps {@link #NONE}. In the float32 pass the slice is of the workspace's
 * float partial ({@link Workspace#floatGradient}).
 *
 * <p>Going the other way, {@link Objective#lossAndGradient} and {@link Objective#lossAndFloatGradient} call
 * {@link #paramsNeeded}(to) before they first read θ[0, to): the dense forward pass layer by layer, first layer
 * first (to = the end of layer l's bias), then with to = P before the backward pass, which reads every W; a
 * layer-list pass asks for all of θ at its start. So a barrier task can start its forward pass while the rest of
 * θ is still arriving. The call returns once θ[0, to) is in place; the bits do not depend on when.
 */
@FunctionalInterface
public interface Overlap {
    /** Does nothing: the default of every workspace. */
    Overlap NONE = (from, to) -> {
    };

    /** The gradient's values [from, to) are final for this call. */
    void gradientReady(int from, int to);

    /**
     * θ[0, to) is about to be read: returns once it is in place (a no-op by default, θ being whole). An engine
     * that cannot deliver it throws (the pass is abandoned).
     */
    default void paramsNeeded(int to) {
    }

    /** Before layer l's forward product: θ up to the end of layer l's bias, the same slice as {@link #layerDone}. */
    static void layerNeeded(Overlap hook, ParamLayout layout, int l) {
        if (hook != NONE) {
            hook.paramsNeeded(l + 1 < layout.layers() ? layout.wOffset(l + 1) : layout.size());
        }
    }

    /** Before a pass reads all of θ (the backward pass, or a layer-list pass from its start). */
    static void allNeeded(Overlap hook, ParamLayout layout) {
        if (hook != NONE) {
            hook.paramsNeeded(layout.size());
        }
    }

    /** Layer l's slice of the flat gradient: [wOffset(l), wOffset(l + 1)), the last layer's ending at P. */
    static void layerDone(Overlap hook, ParamLayout layout, int l) {
        if (hook != NONE) {
            hook.gradientReady(layout.wOffset(l), l + 1 < layout.layers() ? layout.wOffset(l + 1) : layout.size());
        }
    }
}
