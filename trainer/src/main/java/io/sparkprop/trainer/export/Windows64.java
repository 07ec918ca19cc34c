// float64 graphs: conv2d and pooling written with Pad, Slice and MatMul/ReduceMax/ReduceMean, since ONNX
// Runtime's CPU provider has no double Conv kernel (the float32 graph uses Conv, MaxPool and AveragePool).
package io.sparkprop.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.Shape;

/**
 * The windows of x [N, C, H, W] as one tensor [N, C, k·k, OH, OW]: for each kernel offset (ky, kx), in row-major
 * order, Slice(pad(x), starts (ky, kx), steps (stride, stride)) is every window's value at that offset. Then
 * <pre>
 *   conv2d:   Reshape to [N, K, P] (K = C·k·k, index (c·k + ky)·k + kx, as the weight's); MatMul(W [F, K]) → [N, F, P];
 *             + b [F, 1]; Reshape to [N, F, OH, OW]
 *   max-pool: ReduceMax over axis 2;   avg-pool: ReduceMean over axis 2 (no padding, so the divisor is k·k)
 * </pre>
 */
final class Windows64 {
    private Windows64() {
    }

    /** conv2d layer k on x [N, C, H, W]; returns z [N, F, OH, OW]. */
    static String conv2d(LayerGraph c, int k, String x) {
        LayerSpec l = c.stack.layer(k);
        Shape in = c.stack.shape(k);
        Shape out = c.stack.shape(k + 1);
        int kk = in.channels() * l.kernel() * l.kernel();
        int pixels = out.height() * out.width();
        String windows = windows(c, k, x);
        String cols = c.g.node("Reshape", LayerGraph.name(k, "cols"), windows,
                c.g.int64Constant(LayerGraph.name(k, "cols.shape"), 0, kk, pixels));
        String prod = c.g.node("MatMul", LayerGraph.name(k, "prod"), c.weights(k, l.units(), kk), cols);
        String biased = c.g.node("Add", LayerGraph.name(k, "biased"), prod, c.bias(k, l.units(), 1));
        return c.g.node("Reshape", LayerGraph.name(k, "z"), biased,
                c.g.int64Constant(LayerGraph.name(k, "z.shape"), 0, out.channels(), out.height(), out.width()));
    }

    /** max-pool (ReduceMax) or avg-pool (ReduceMean) layer k on x [N, C, H, W]. */
    static String pool(LayerGraph c, int k, String x, boolean max) {
        AttributeProto[] attrs = {OnnxGraph.intsAttribute("axes", 2), OnnxGraph.intAttribute("keepdims", 0)};
        return c.g.node(max ? "ReduceMax" : "ReduceMean", LayerGraph.name(k, max ? "max" : "avg"), attrs,
                windows(c, k, x));
    }

    /** [N, C, k·k, OH, OW]: the input value at each kernel offset of each output position. */
    private static String windows(LayerGraph c, int k, String x) {
        LayerSpec l = c.stack.layer(k);
        Shape out = c.stack.shape(k + 1);
        int s = l.stride();
        long p = l.padding();
        String padded = x;
        if (p > 0) {
            padded = c.g.node("Pad", LayerGraph.name(k, "padded"), x,
                    c.g.int64Constant(LayerGraph.name(k, "pads"), 0, 0, p, p, 0, 0, p, p));
        }
        String axes = c.g.int64Constant(LayerGraph.name(k, "axes"), 2, 3);
        String steps = c.g.int64Constant(LayerGraph.name(k, "steps"), s, s);
        String unsqueezeAxis = c.g.int64Constant(LayerGraph.name(k, "offset.axis"), 2);
        String[] parts = new String[l.kernel() * l.kernel()];
        for (int ky = 0; ky < l.kernel(); ky++) {
            for (int kx = 0; kx < l.kernel(); kx++) {
                String at = "at" + ky + "_" + kx;
                String starts = c.g.int64Constant(LayerGraph.name(k, at + ".starts"), ky, kx);
                String ends = c.g.int64Constant(LayerGraph.name(k, at + ".ends"),
                        ky + (long) s * (out.height() - 1) + 1, kx + (long) s * (out.width() - 1) + 1);
                String slice = c.g.node("Slice", LayerGraph.name(k, at), padded, starts, ends, axes, steps);
                parts[ky * l.kernel() + kx] = c.g.node("Unsqueeze", LayerGraph.name(k, at + ".u"), slice,
                        unsqueezeAxis);
            }
        }
        return c.g.node("Concat", LayerGraph.name(k, "windows"), new AttributeProto[] {
            OnnxGraph.intAttribute("axis", 2)}, parts);
    }
}
