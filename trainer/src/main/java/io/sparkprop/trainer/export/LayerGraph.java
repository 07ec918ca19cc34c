// The layers of a model.layers network written into an ONNX graph, one LayerEmitter per layer kind.
package io.sparkprop.trainer.export;

import java.util.Arrays;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.LayerKind;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.nn.Shape;

/**
 * Walks the stack from the scaled features (N × F) to the output layer's logits (N × k). The tensor between
 * layers is [N, c, h, w] (NCHW, the order {@link Shape} stores one example in, so a Reshape of the flat row is
 * free) or [N, values]; {@link #spatial} and {@link #flat} convert on demand, so a layer list that starts
 * with dense layers never gains a Reshape and a conv2d output of [F, 1, 1] can feed a dense layer directly.
 */
final class LayerGraph {
    final OnnxGraph g;
    final OnnxDtype dtype;
    final LayerStack stack;
    private final double[] params;
    /** Whether the current tensor is [N, c, h, w] rather than [N, values]. */
    private boolean spatial;

    private LayerGraph(OnnxGraph g, OnnxDtype dtype, LayerStack stack, double[] params) {
        this.g = g;
        this.dtype = dtype;
        this.stack = stack;
        this.params = params;
    }

    /**
     * Appends every layer, output layer included, after the scaled features {@code x} (N × F) and returns the
     * logits' name. A layer kind with no emitter is refused in one line naming its index and type, before
     * anything is written.
     */
    static String append(OnnxGraph g, OnnxDtype dtype, LayerStack stack, double[] params, String x) {
        return append(g, dtype, stack, params, x, LayerEmitters::of);
    }

    /** As above with the emitters of {@code registry} (null: no emitter for that kind). */
    static String append(OnnxGraph g, OnnxDtype dtype, LayerStack stack, double[] params, String x,
                         java.util.function.Function<LayerKind, LayerEmitter> registry) {
        LayerEmitter[] emitters = new LayerEmitter[stack.size()];
        for (int k = 0; k < stack.size(); k++) {
            emitters[k] = registry.apply(stack.layer(k).kind());
            if (emitters[k] == null) {
                throw new UserError("export: layer " + k + " (" + stack.layer(k).kind().configName + ") has no"
                        + " ONNX form yet; this model cannot be exported");
            }
        }
        LayerGraph c = new LayerGraph(g, dtype, stack, params);
        String h = x;
        for (int k = 0; k < stack.size(); k++) {
            h = emitters[k].emit(c, k, h);
        }
        return c.flat(stack.size(), h);
    }

    /** h as [N, c, h, w] of boundary k's shape (a Reshape when it is [N, values]). */
    String spatial(int k, String h) {
        if (spatial) {
            return h;
        }
        Shape s = stack.shape(k);
        spatial = true;
        return g.node("Reshape", name(k, "nchw"), h,
                g.int64Constant(name(k, "nchw.shape"), -1, s.channels(), s.height(), s.width()));
    }

    /** h as [N, values] (a Flatten when it is [N, c, h, w]). */
    String flat(int k, String h) {
        if (!spatial) {
            return h;
        }
        spatial = false;
        return g.node("Flatten", name(k, "flat"), new ai.onnx.proto.OnnxMl.AttributeProto[] {
            OnnxGraph.intAttribute("axis", 1)}, h);
    }

    /** Marks the layer just emitted as producing [N, c, h, w] (true) or [N, values]. */
    void producedSpatial(boolean on) {
        spatial = on;
    }

    /** Layer k's weights W as a constant of the given dims (the flat layout's values in order). */
    String weights(int k, long... dims) {
        ParamLayout layout = stack.layout();
        int slot = stack.slot(k);
        int from = layout.wOffset(slot);
        return g.constant(name(k, "W"), Arrays.copyOfRange(params, from, from + layout.in(slot) * layout.out(slot)),
                dims);
    }

    /** Layer k's bias with the given dims. */
    String bias(int k, long... dims) {
        ParamLayout layout = stack.layout();
        int slot = stack.slot(k);
        int from = layout.bOffset(slot);
        return g.constant(name(k, "b"), Arrays.copyOfRange(params, from, from + layout.biasSize(slot)), dims);
    }

    /** {@code length} values of layer k's slot of θ from {@code offset} past its W (the bias part: γ, β, ...). */
    double[] biasPart(int k, int offset, int length) {
        int from = stack.layout().bOffset(stack.slot(k)) + offset;
        return Arrays.copyOfRange(params, from, from + length);
    }

    /** {@code length} values of layer k's W from {@code offset} (layer-norm's γ, one embedding table). */
    double[] weightPart(int k, int offset, int length) {
        int from = stack.layout().wOffset(stack.slot(k)) + offset;
        return Arrays.copyOfRange(params, from, from + length);
    }

    /** h as the tensor a layer that keeps boundary k's shape reads: [N, c, h, w] for an image shape, else [N, values]. */
    String asShaped(int k, String h) {
        return stack.shape(k).isFlat() ? flat(k, h) : spatial(k, h);
    }

    /** a = f(z) with layer k's activation; nothing for identity (and for the output layer's). */
    String activation(int k, String z) {
        LayerSpec l = stack.layer(k);
        Activation f = k == stack.size() - 1 ? Activation.IDENTITY : l.activation();
        return OnnxExport.activation(g, f, dtype, z, name(k, "a"));
    }

    /** A node name unique to layer k: "layer2.W", "layer2.a", ... */
    static String name(int k, String what) {
        return "layer" + k + "." + what;
    }
}
