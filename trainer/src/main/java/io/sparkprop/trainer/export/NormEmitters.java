// The ONNX form of batch-norm (evaluation: the running statistics) and layer-norm (over the whole example).
package io.sparkprop.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.Shape;

/**
 * <pre>
 *   batch-norm  float32: BatchNormalization(x, γ, β, running mean, running var), epsilon from the spec;
 *               float64: (x − mean)·r·γ + β with r = 1/√(var + ε) computed here as predict computes it
 *               (Sub, Mul, Mul, Add over constants [C, 1, 1] for [N, C, H, W] or [C] for [N, C]), since the
 *               BatchNormalization attribute epsilon is a float32 and would cost the float64 graph its 1e-12.
 *   layer-norm  on [N, D] (an image example flattened in CHW order, as Shape stores it):
 *               μ = ReduceMean(x), d = x − μ, r = 1/√(ReduceMean(d·d) + ε), y = d·r·γ + β (γ, β [D]),
 *               predict's formula in opset 13 operators (LayerNormalization needs opset 17).
 * </pre>
 * The batch-norm slot of θ is 4C values: γ, β, running mean, running variance ({@code BatchNorm}).
 */
final class NormEmitters {
    private NormEmitters() {
    }

    static String batchNorm(LayerGraph c, int k, String h) {
        LayerSpec l = c.stack.layer(k);
        Shape in = c.stack.shape(k);
        int ch = in.isFlat() ? in.size() : in.channels();
        String x = c.asShaped(k, h);
        double[] gamma = c.biasPart(k, 0, ch);
        double[] beta = c.biasPart(k, ch, ch);
        double[] mean = c.biasPart(k, 2 * ch, ch);
        double[] var = c.biasPart(k, 3 * ch, ch);
        long[] dims = in.isFlat() ? new long[] {ch} : new long[] {ch, 1, 1};
        if (c.dtype == OnnxDtype.FLOAT32) {
            return c.g.node("BatchNormalization", LayerGraph.name(k, "bn"), new AttributeProto[] {
                OnnxGraph.floatAttribute("epsilon", (float) l.epsilon())},
                    x, c.g.constant(LayerGraph.name(k, "gamma"), gamma, ch),
                    c.g.constant(LayerGraph.name(k, "beta"), beta, ch),
                    c.g.constant(LayerGraph.name(k, "mean"), mean, ch),
                    c.g.constant(LayerGraph.name(k, "var"), var, ch));
        }
        double[] r = new double[ch];
        for (int j = 0; j < ch; j++) r[j] = 1.0 / Math.sqrt(var[j] + l.epsilon());
        String d = c.g.node("Sub", LayerGraph.name(k, "centred"), x,
                c.g.constant(LayerGraph.name(k, "mean"), mean, dims));
        String xHat = c.g.node("Mul", LayerGraph.name(k, "xhat"), d, c.g.constant(LayerGraph.name(k, "r"), r, dims));
        String g = c.g.node("Mul", LayerGraph.name(k, "scaled"), xHat,
                c.g.constant(LayerGraph.name(k, "gamma"), gamma, dims));
        return c.g.node("Add", LayerGraph.name(k, "bn"), g, c.g.constant(LayerGraph.name(k, "beta"), beta, dims));
    }

    static String layerNorm(LayerGraph c, int k, String h) {
        LayerSpec l = c.stack.layer(k);
        int d = c.stack.shape(k).size();
        String x = c.flat(k, h);
        AttributeProto[] perRow = {OnnxGraph.intsAttribute("axes", 1), OnnxGraph.intAttribute("keepdims", 1)};
        String mu = c.g.node("ReduceMean", LayerGraph.name(k, "mean"), perRow, x);
        String dev = c.g.node("Sub", LayerGraph.name(k, "centred"), x, mu);
        String sq = c.g.node("Mul", LayerGraph.name(k, "sq"), dev, dev);
        String var = c.g.node("ReduceMean", LayerGraph.name(k, "var"), perRow, sq);
        String std = c.g.node("Sqrt", LayerGraph.name(k, "std"), c.g.node("Add", LayerGraph.name(k, "var.eps"), var,
                c.g.constant(LayerGraph.name(k, "eps"), new double[] {l.epsilon()})));
        String r = c.g.node("Div", LayerGraph.name(k, "r"), c.g.constant(LayerGraph.name(k, "one"),
                new double[] {1.0}), std);
        String xHat = c.g.node("Mul", LayerGraph.name(k, "xhat"), dev, r);
        String g = c.g.node("Mul", LayerGraph.name(k, "scaled"), xHat,
                c.g.constant(LayerGraph.name(k, "gamma"), c.weightPart(k, 0, d), d));
        return c.g.node("Add", LayerGraph.name(k, "ln"), g,
                c.g.constant(LayerGraph.name(k, "beta"), c.biasPart(k, 0, d), d));
    }
}
