// Central-difference checks of every model.layers kind alone and stacked, float64 and float32, on both kernels;
// a dense-only layer list gives the dense stack's bits; conv2d's blocks give one block's values.
package io.sparkprop.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.BlasGemm;
import io.sparkprop.trainer.kernel.Gemm;
import io.sparkprop.trainer.kernel.OjAlgoGemm;

class LayerGradientCheckTest {
    static final int ROWS = 5;
    static final int CLASSES = 3;

    /** A named layer list on an input shape, with the data's categorical columns (for an embedding). */
    record Case(String name, Shape input, List<LayerSpec> layers, Categorical categorical) {
        Case(String name, Shape input, List<LayerSpec> layers) {
            this(name, input, layers, Categorical.NONE);
        }
    }

    /** Features 1 and 4 of 6 are codes of 3 and 2 categories (their values include the unseen codes 3 and 2). */
    static final Categorical CATS = new Categorical(new int[]{1, 4}, new int[]{3, 2}, List.of("color", "size"));

    static final List<Case> CASES = List.of(
            new Case("conv2d same", new Shape(2, 5, 5), List.of(
                    LayerSpec.conv2d(3, 3, 1, 1, Activation.TANH), LayerSpec.flatten())),
            new Case("conv2d stride 2", new Shape(2, 6, 5), List.of(
                    LayerSpec.conv2d(2, 2, 2, 0, Activation.SIGMOID), LayerSpec.flatten())),
            new Case("conv2d stride 2 padding 1", new Shape(2, 5, 6), List.of(
                    LayerSpec.conv2d(2, 3, 2, 1, Activation.TANH), LayerSpec.flatten())),
            new Case("max-pool", new Shape(2, 4, 5), List.of(LayerSpec.maxPool(2, 2), LayerSpec.flatten())),
            new Case("max-pool stride 1", new Shape(1, 4, 4), List.of(LayerSpec.maxPool(3, 1), LayerSpec.flatten())),
            new Case("avg-pool", new Shape(2, 5, 4), List.of(LayerSpec.avgPool(2, 1), LayerSpec.flatten())),
            new Case("conv2d relu, pools whose windows tile", new Shape(2, 8, 8), List.of(
                    LayerSpec.conv2d(3, 3, 1, 1, Activation.RELU), LayerSpec.maxPool(2, 2), LayerSpec.avgPool(2, 2),
                    LayerSpec.flatten())),
            new Case("flatten", new Shape(2, 3, 2), List.of(LayerSpec.flatten())),
            new Case("dense", Shape.flat(6), List.of(LayerSpec.dense(4, Activation.TANH))),
            new Case("dropout", Shape.flat(6), List.of(LayerSpec.dropout(0.4))),
            new Case("stacked", new Shape(2, 6, 6), List.of(
                    LayerSpec.conv2d(3, 3, 1, 1, Activation.TANH), LayerSpec.maxPool(2, 2),
                    LayerSpec.conv2d(4, 2, 1, 0, Activation.SIGMOID), LayerSpec.avgPool(2, 2),
                    LayerSpec.flatten(), LayerSpec.dense(5, Activation.TANH), LayerSpec.dropout(0.2))),
            new Case("batch-norm 2d", new Shape(2, 3, 3), List.of(LayerSpec.batchNorm(0.1, 1e-5),
                    LayerSpec.flatten())),
            new Case("batch-norm 1d", Shape.flat(6), List.of(LayerSpec.batchNorm(0.1, 1e-3))),
            new Case("stacked with batch-norm", new Shape(2, 6, 6), List.of(
                    LayerSpec.conv2d(3, 3, 1, 1, Activation.TANH), LayerSpec.batchNorm(0.1, 1e-5),
                    LayerSpec.maxPool(2, 2), LayerSpec.flatten(), LayerSpec.dense(5, Activation.TANH),
                    LayerSpec.batchNorm(0.2, 1e-5), LayerSpec.dropout(0.2))),
            new Case("layer-norm flat", Shape.flat(6), List.of(LayerSpec.layerNorm(1e-5))),
            new Case("layer-norm image", new Shape(2, 3, 3), List.of(LayerSpec.layerNorm(1e-3), LayerSpec.flatten())),
            new Case("embedding", Shape.flat(6), List.of(LayerSpec.embedding(3)), CATS),
            new Case("stacked with norms", new Shape(2, 4, 4), List.of(
                    LayerSpec.conv2d(3, 3, 1, 1, Activation.TANH), LayerSpec.layerNorm(1e-5), LayerSpec.maxPool(2, 2),
                    LayerSpec.flatten(), LayerSpec.dense(5, Activation.SIGMOID), LayerSpec.layerNorm(1e-5))),
            new Case("embedding stacked", Shape.flat(6), List.of(LayerSpec.embedding(2),
                    LayerSpec.dense(5, Activation.TANH), LayerSpec.layerNorm(1e-5), LayerSpec.dropout(0.2)), CATS));

    static Dataset data(Shape in, long seed) {
        return data(in, Categorical.NONE, seed);
    }

    /** Uniform values in [−1, 1); a categorical slot holds codes 0..cardinality (the last: unseen), each used. */
    static Dataset data(Shape in, Categorical cats, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int f = in.size();
        double[] x = new double[ROWS * f];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
        for (int j = 0; j < cats.count(); j++) {
            for (int i = 0; i < ROWS; i++) x[i * f + cats.slots()[j]] = i % (cats.cardinalities()[j] + 1);
        }
        double[] y = new double[ROWS];
        for (int i = 0; i < ROWS; i++) y[i] = r.nextInt(CLASSES);
        return new Dataset(ROWS, f, 1, x, y, List.of("a", "b", "c"));
    }

    static Network net(Case c, boolean float32) {
        return new Network(new LayerStack(c.input(), c.layers(), CLASSES, c.categorical()), Activation.TANH,
                Output.SOFTMAX, Loss.SOFTMAX_CROSS_ENTROPY, true, float32);
    }

    static double[] params(Network net) {
        double[] p = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), p, 11);
        ParamLayout l = net.layout();
        for (int s = 0; s < l.layers(); s++) {
            for (int j = 0; j < l.biasSize(s); j++) p[l.bOffset(s) + j] = 0.1 * (j - 1);
            // batch-norm's γ away from 0: a γ of 0 makes a channel constant, and a max-pool of ties has no gradient
            for (int j = 0; j < l.normChannels(s); j++) p[l.bOffset(s) + j] = 0.8 + 0.1 * j;
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyLayerKindAloneAndStackedPassesTheGradientCheck(boolean float32) {
        for (Gemm gemm : List.of(new OjAlgoGemm(), new BlasGemm())) {
            for (Case c : CASES) {
                Network net = net(c, float32);
                Map<String, Double> worst = GradientCheck.run(net, params(net), data(c.input(), c.categorical(), 3),
                        gemm);
                // the input, then W (absent for batch-norm, whose γ, β and running statistics are its "b") and b
                int tensors = 1;
                for (int l = 0; l < net.layout().layers(); l++) {
                    tensors += (net.layout().in(l) * net.layout().out(l) > 0 ? 1 : 0)
                            + (net.layout().biasSize(l) > 0 ? 1 : 0);
                }
                assertEquals(tensors, worst.size(), c.name());
                for (Map.Entry<String, Double> e : worst.entrySet()) {
                    assertTrue(e.getValue() <= GradientCheck.tolerance(net), c.name() + " " + (float32 ? "float32 "
                            : "") + gemm.name() + " " + e.getKey() + ": " + e.getValue());
                }
            }
        }
    }

    @Test
    void aWrongConvolutionGradientIsCaught() {
        // Swap two filters' weights on the analytic side only: the check must see W1 and the input as wrong.
        Case c = CASES.get(0);
        Network net = net(c, false);
        double[] p = params(net);
        Dataset d = data(c.input(), 3);
        Workspace ws = net.newWorkspace(new OjAlgoGemm());
        ws.setWantInputGradient(true);
        Batch b = new Batch().set(d, null, 0, d.rows).training(true, 12345L);
        double[] g = new double[p.length];
        Objective.lossAndGradient(net, p, b, ws, g);
        double[] numeric = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double s = p[i];
            p[i] = s + 1e-5;
            double plus = Objective.loss(net, p, b, ws);
            p[i] = s - 1e-5;
            double minus = Objective.loss(net, p, b, ws);
            p[i] = s;
            numeric[i] = (plus - minus) / 2e-5;
        }
        double worst = 0;
        for (int i = 0; i < p.length; i++) worst = Math.max(worst, GradientCheck.relativeError(g[i], numeric[i]));
        assertTrue(worst < 1e-6, "the correct gradient agrees: " + worst);
        double[] wrong = g.clone();
        int w = net.layout().wOffset(0);
        wrong[w] += 0.01 * (Math.abs(wrong[w]) + 1);
        assertTrue(GradientCheck.relativeError(wrong[w], numeric[w]) > 1e-3);
    }

    @Test
    void aDenseOnlyLayerListGivesTheDenseStacksBits() {
        Dataset d = data(Shape.flat(6), 4);
        Network mlp = new Network(new int[]{6, 5, 4, CLASSES}, Activation.TANH, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, 0.0, true);
        Network list = new Network(new LayerStack(Shape.flat(6), List.of(LayerSpec.dense(5, Activation.TANH),
                LayerSpec.dense(4, Activation.TANH)), CLASSES), Activation.TANH, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, false);
        assertEquals(mlp.paramCount(), list.paramCount());
        double[] p = params(mlp);
        double[] g1 = new double[p.length];
        double[] g2 = new double[p.length];
        Batch b = new Batch().set(d, null, 0, d.rows);
        double l1 = Objective.lossAndGradient(mlp, p, b, mlp.newWorkspace(new OjAlgoGemm()), g1);
        double l2 = Objective.lossAndGradient(list, p, b, list.newWorkspace(new OjAlgoGemm()), g2);
        assertEquals(Double.doubleToLongBits(l1), Double.doubleToLongBits(l2));
        assertArrayEquals(g1, g2);
    }

    @Test
    void theCnnsConvolutionBlocksFitInOneMegabyteOfFloatsAndStillFeedWideProducts() {
        LayerSpec c1 = LayerSpec.conv2d(32, 3, 1, 1, Activation.RELU);
        LayerSpec c2 = LayerSpec.conv2d(64, 3, 1, 0, Activation.RELU);
        Conv2d first = new Conv2d(new Shape(1, 28, 28), new Shape(32, 28, 28), c1, Conv2d.BLOCK_VALUES);
        Conv2d second = new Conv2d(new Shape(32, 14, 14), new Shape(64, 12, 12), c2, Conv2d.BLOCK_VALUES);
        for (Conv2d c : List.of(first, second)) {
            assertTrue(4 * c.colsSize(256) <= 1 << 20 && 4 * c.tileSize(256) <= 1 << 20,
                    c.colsSize(256) + " and " + c.tileSize(256) + " values");
        }
        int a = first.block(256);
        int b = second.block(256);
        assertTrue(a * first.pixels >= 7_000 && b * second.pixels >= 800, a + " and " + b + " examples per product");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void convolutionInBlocksGivesOneBlocksValues(int examplesPerBlock) {
        Shape in = new Shape(2, 5, 4);
        LayerSpec s = LayerSpec.conv2d(3, 3, 1, 1, Activation.IDENTITY);
        Shape out = LayerKind.CONV2D.out(s, in);
        int n = 5;
        Conv2d whole = new Conv2d(in, out, s, Integer.MAX_VALUE);
        int perExample = Math.max(whole.kk, out.channels()) * whole.pixels;
        Conv2d blocks = new Conv2d(in, out, s, perExample * examplesPerBlock);
        assertEquals(examplesPerBlock, blocks.block(n));
        SplittableRandom r = new SplittableRandom(5);
        double[] x = new double[n * in.size()];
        double[] params = new double[whole.kk * 3 + 3];
        double[] delta = new double[n * out.size()];
        for (double[] a : List.of(x, params, delta)) {
            for (int i = 0; i < a.length; i++) a[i] = r.nextDouble(-1, 1);
        }
        double[][] z = new double[2][n * out.size()];
        double[][] dIn = new double[2][x.length];
        double[][] grad = new double[2][params.length];
        Conv2d[] convs = {whole, blocks};
        for (int v = 0; v < 2; v++) {
            double[] cols = new double[(int) convs[v].colsSize(n)];
            double[] tile = new double[(int) convs[v].tileSize(n)];
            convs[v].forward(z[v], params, 0, whole.kk * 3, x, n, cols, tile, new OjAlgoGemm());
            convs[v].backward(dIn[v], grad[v], delta, params, 0, whole.kk * 3, x, z[v], n, cols, tile,
                    new OjAlgoGemm());
        }
        assertArrayEquals(z[0], z[1], 1e-12);
        assertArrayEquals(dIn[0], dIn[1], 1e-12);
        assertArrayEquals(grad[0], grad[1], 1e-12);
    }
}
