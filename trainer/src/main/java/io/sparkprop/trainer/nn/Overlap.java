// A hook the backward pass calls as each layer's gradient is complete, so an engine can send it on early.
package io.sparkprop.trainer.nn;

/**
 * The backward pass walks the layers from the last to the first; once layer l's dW and db are written
 * (θ's slice [wOffset(l), wOffset(l + 1)) of the gradient, {@link ParamLayout}) nothing in the pass touches them
 * again, and it calls {@link #gradientReady} with that slice. The slices come last layer first, so the values
 * ready always form a suffix [from, P) of the gradient. A Spark barrier task sends that suffix up its tree while
 * the pass goes on; every other caller keeps {@link #NONE}. In the float32 pass the slice is of the workspace's
 * float partial ({@link Workspace#floatGradient}).
 */
@FunctionalInterface
public interface Overlap {
    /** Does nothing: the default of every workspace. */
    Overlap NONE = (from, to) -> {
    };

    /** The gradient's values [from, to) are final for this call. */
    void gradientReady(int from, int to);

    /** Layer l's slice of the flat gradient: [wOffset(l), wOffset(l + 1)), the last layer's ending at P. */
    static void layerDone(Overlap hook, ParamLayout layout, int l) {
        if (hook != NONE) {
            hook.gradientReady(layout.wOffset(l), l + 1 < layout.layers() ? layout.wOffset(l + 1) : layout.size());
        }
    }
}
