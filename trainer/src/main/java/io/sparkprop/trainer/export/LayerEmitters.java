// One ONNX emitter per layer kind of model.layers: conv2d, max-pool, avg-pool, flatten, dense, dropout, and (in
// NormEmitters, EmbeddingEmitter) batch-norm, layer-norm, embedding.
package io.sparkprop.trainer.export;

import java.util.EnumMap;
import java.util.Map;

import ai.onnx.proto.OnnxMl.AttributeProto;
import io.sparkprop.trainer.nn.LayerKind;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.Shape;

/**
 * Each emitter writes the operator that computes what the layer computes at evaluation:
 * <pre>
 *   conv2d   Conv(x [N,C,H,W], W [F,C,k,k], b [F]), pads = padding on all four sides, strides = stride; then f
 *   max-pool MaxPool, kernel size × size, strides = stride, no pads (floor: OH = (H − size) / stride + 1)
 *   avg-pool AveragePool, the same; without pads count_include_pad has nothing to count, the divisor is size²
 *   flatten  Flatten(axis = 1): [N, c, h, w] → [N, c·h·w] in CHW order, as Shape stores an example
 *   dense    Gemm(a [N,in], W [in,out], b [out]); W (out × in) column-major is (in × out) row-major; then f
 *   dropout  nothing: inverted dropout is the identity at evaluation
 *   batch-norm, layer-norm  see {@link NormEmitters};  embedding  see {@link EmbeddingEmitter}
 * </pre>
 * float64 graphs write conv2d and pooling as in {@link Windows64} (ONNX Runtime has no double Conv).
 * The conv2d weight is stored (C·k·k × F) column-major, which is the [F, C, k, k] row-major tensor Conv reads.
 */
final class LayerEmitters {
    private static final Map<LayerKind, LayerEmitter> BY_KIND = new EnumMap<>(LayerKind.class);

    static {
        BY_KIND.put(LayerKind.CONV2D, LayerEmitters::conv2d);
        BY_KIND.put(LayerKind.MAX_POOL, (c, k, h) -> pool(c, k, h, "MaxPool"));
        BY_KIND.put(LayerKind.AVG_POOL, (c, k, h) -> pool(c, k, h, "AveragePool"));
        BY_KIND.put(LayerKind.FLATTEN, (c, k, h) -> c.flat(k, h));
        BY_KIND.put(LayerKind.DENSE, LayerEmitters::dense);
        BY_KIND.put(LayerKind.DROPOUT, (c, k, h) -> h);
        BY_KIND.put(LayerKind.BATCH_NORM, NormEmitters::batchNorm);
        BY_KIND.put(LayerKind.LAYER_NORM, NormEmitters::layerNorm);
        BY_KIND.put(LayerKind.EMBEDDING, EmbeddingEmitter::emit);
    }

    private LayerEmitters() {
    }

    /** The emitter of {@code kind}, or null when that kind cannot be exported yet. */
    static LayerEmitter of(LayerKind kind) {
        return BY_KIND.get(kind);
    }

    private static String conv2d(LayerGraph c, int k, String h) {
        LayerSpec l = c.stack.layer(k);
        Shape in = c.stack.shape(k);
        String x = c.spatial(k, h);
        long p = l.padding();
        if (c.dtype == OnnxDtype.FLOAT64) {
            c.producedSpatial(true);
            return c.activation(k, Windows64.conv2d(c, k, x));
        }
        String z = c.g.node("Conv", LayerGraph.name(k, "z"), new AttributeProto[] {
            OnnxGraph.intsAttribute("kernel_shape", l.kernel(), l.kernel()),
            OnnxGraph.intsAttribute("pads", p, p, p, p),
            OnnxGraph.intsAttribute("strides", l.stride(), l.stride())},
                x, c.weights(k, l.units(), in.channels(), l.kernel(), l.kernel()), c.bias(k, l.units()));
        c.producedSpatial(true);
        return c.activation(k, z);
    }

    private static String pool(LayerGraph c, int k, String h, String op) {
        LayerSpec l = c.stack.layer(k);
        String x = c.spatial(k, h);
        if (c.dtype == OnnxDtype.FLOAT64) {
            return Windows64.pool(c, k, x, op.equals("MaxPool"));
        }
        AttributeProto[] attrs = {
            OnnxGraph.intsAttribute("kernel_shape", l.kernel(), l.kernel()),
            OnnxGraph.intsAttribute("strides", l.stride(), l.stride())};
        return c.g.node(op, LayerGraph.name(k, op.equals("MaxPool") ? "max" : "avg"), attrs, x);
    }

    private static String dense(LayerGraph c, int k, String h) {
        LayerSpec l = c.stack.layer(k);
        String x = c.flat(k, h);
        int in = c.stack.shape(k).size();
        String z = c.g.node("Gemm", LayerGraph.name(k, "z"), x, c.weights(k, in, l.units()), c.bias(k, l.units()));
        return c.activation(k, z);
    }
}
