// Exported batch-norm, layer-norm and embedding networks, trained a few steps and run by ONNX Runtime on the raw
// flat features (unseen category codes included), reproduce predict's probabilities in float32 and float64.
package io.sparkprop.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.onnx.proto.OnnxMl.NodeProto;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.nn.Shape;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.Step;

class NormEmbeddingOnnxTest {
    private static final int ROWS = 40;
    private static final int CLASSES = 3;

    @TempDir
    Path tmp;

    /** [2, 6, 6] → conv same [3, 6, 6] → batch-norm per channel → max-pool [3, 3, 3] → flatten → dense 6 → batch-norm. */
    @ParameterizedTest(name = "float32 network: {0}")
    @ValueSource(booleans = {false, true})
    void aCnnWithBatchNormMatchesPredict(boolean float32) throws Exception {
        List<LayerSpec> layers = List.of(LayerSpec.conv2d(3, 3, 1, 1, Activation.RELU),
                LayerSpec.batchNorm(0.3, 1e-3), LayerSpec.maxPool(2, 2), LayerSpec.flatten(),
                LayerSpec.dense(6, Activation.TANH), LayerSpec.batchNorm(0.3, 1e-5));
        Network net = new Network(new LayerStack(new Shape(2, 6, 6), layers, CLASSES), Activation.RELU,
                Output.SOFTMAX, Loss.SOFTMAX_CROSS_ENTROPY, true, float32);
        Model m = trained(net, features(72, Categorical.NONE, 3));
        // the running statistics moved away from their start (mean 0, variance 1): the export must carry them
        int slot = net.stack.slot(1);
        int at = net.layout().bOffset(slot);
        assertTrue(Math.abs(m.params()[at + 6]) > 1e-3 && Math.abs(m.params()[at + 9] - 1) > 1e-3,
                "running mean and variance after training");
        check(m, features(72, Categorical.NONE, 4), float32);
    }

    /** conv2d → layer-norm over [3, 4, 4] → flatten → dense → layer-norm over 5 values. */
    @ParameterizedTest(name = "float32 network: {0}")
    @ValueSource(booleans = {false, true})
    void aCnnWithLayerNormMatchesPredict(boolean float32) throws Exception {
        List<LayerSpec> layers = List.of(LayerSpec.conv2d(3, 3, 1, 0, Activation.TANH), LayerSpec.layerNorm(1e-5),
                LayerSpec.flatten(), LayerSpec.dense(5, Activation.RELU), LayerSpec.layerNorm(1e-3));
        Network net = new Network(new LayerStack(new Shape(1, 6, 6), layers, CLASSES), Activation.RELU,
                Output.SOFTMAX, Loss.SOFTMAX_CROSS_ENTROPY, true, float32);
        check(trained(net, features(36, Categorical.NONE, 5)), features(36, Categorical.NONE, 6), float32);
    }

    /**
     * Features [x0, colour (3 categories), x2, size (2 categories), x4] → embedding dim 2 → layer-norm → dense →
     * softmax; the rows include the unseen code (= cardinality) of both columns.
     */
    @ParameterizedTest(name = "float32 network: {0}")
    @ValueSource(booleans = {false, true})
    void aNetWithEmbeddingsMatchesPredict(boolean float32) throws Exception {
        Categorical cats = new Categorical(new int[] {1, 3}, new int[] {3, 2}, List.of("colour", "size"));
        List<LayerSpec> layers = List.of(LayerSpec.embedding(2), LayerSpec.layerNorm(1e-5),
                LayerSpec.dense(6, Activation.TANH));
        Network net = new Network(new LayerStack(Shape.flat(5), layers, CLASSES, cats), Activation.RELU,
                Output.SOFTMAX, Loss.SOFTMAX_CROSS_ENTROPY, true, float32);
        Model m = trained(net, features(5, cats, 7));
        double[] x = features(5, cats, 8);
        int unseen = 0;
        for (int c = 0; c < ROWS; c++) {
            if (x[c * 5 + 1] == 3 && x[c * 5 + 3] == 2) unseen++;
        }
        assertTrue(unseen > 0, "some rows carry the unseen code in both columns");
        check(m, x, float32);
        List<String> ops = OnnxExport.build(m, OnnxDtype.FLOAT32).getGraph().getNodeList().stream()
                .map(NodeProto::getOpType).toList();
        assertEquals(List.of("Sub", "Mul", "Gather", "Cast", "Gather", "Gather", "Gather", "Gather", "Gather",
                "Concat"), ops.subList(0, 10));
    }

    /** ROWS rows of f features in [−3, 3]; categorical slots hold codes in [0, cardinality] (the last: unseen). */
    private static double[] features(int f, Categorical cats, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[ROWS * f];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-3, 3);
        for (int c = 0; c < ROWS; c++) {
            for (int j = 0; j < cats.count(); j++) {
                x[c * f + cats.slots()[j]] = c % 5 == 0 ? cats.cardinalities()[j] : r.nextInt(cats.rows(j));
            }
        }
        return x;
    }

    /** A model trained 6 Adam steps (batch 20) on x with random labels, with a standard scaling of its features. */
    private static Model trained(Network net, double[] x) {
        int f = x.length / ROWS;
        SplittableRandom r = new SplittableRandom(3);
        double[] shift = new double[f];
        double[] scale = new double[f];
        for (int j = 0; j < f; j++) {
            boolean code = net.stack.categorical().isSlot(j);
            shift[j] = code ? 0 : r.nextDouble(-0.5, 0.5);
            scale[j] = code ? 1 : r.nextDouble(0.5, 1.5);
        }
        double[] y = new double[ROWS];
        for (int c = 0; c < ROWS; c++) y[c] = r.nextInt(CLASSES);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) names.add("c" + c);
        Dataset data = Scaler.of(Scaler.Kind.STANDARD, shift, scale).apply(new Dataset(ROWS, f, 1, x, y, names));
        double[] p = new double[net.paramCount()];
        Init.HE.fill(net.layout(), p, 1);
        BatchPlan plan = new BatchPlan(ROWS, 20, 7);
        Updater u = new Updater(OptimizerKind.ADAM.create(net.paramCount(), net.layout(), 0.9, 0.0),
                Schedule.of(ScheduleSpec.constant(0.05), 1, 1), net.layout(), 0.0, 0.0);
        double[] grad = new double[p.length];
        try (LocalEngine e = new LocalEngine(net, data, null, null, plan, () -> Backend.OJALGO.gemm(), 1)) {
            for (int s = 0; s < 6; s++) {
                assertTrue(Step.take(e, u, plan, p, grad, s / 2, s % 2, s, new double[2], new double[2]));
            }
        }
        return new Model(net, p, "standard", shift, scale, names, "", null);
    }

    /** ORT's probabilities on the raw rows x against Evaluator.predict on the scaled rows, in both dtypes. */
    private void check(Model m, double[] x, boolean float32) throws Exception {
        int f = m.features();
        Dataset scaled = Scaler.of(Scaler.Kind.STANDARD, m.shift(), m.scale())
                .apply(new Dataset(ROWS, f, 1, x, new double[ROWS], m.classNames()));
        double[] p = new Evaluator(m.net(), m.net().newWorkspace(Backend.AUTO.gemm())).predict(m.params(), scaled, 0,
                ROWS).clone();
        for (OnnxDtype dtype : OnnxDtype.values()) {
            Path file = tmp.resolve(dtype.id() + ".onnx");
            OnnxExport.write(m, dtype, file);
            double[][] got = OnnxRun.run(file, x, ROWS, f, dtype).matrix("probabilities");
            double tol = dtype == OnnxDtype.FLOAT32 || float32 ? 1e-5 : 1e-12;
            double spread = 0;
            for (int c = 0; c < ROWS; c++) {
                double[] want = java.util.Arrays.copyOfRange(p, c * CLASSES, c * CLASSES + CLASSES);
                assertArrayEquals(want, got[c], tol, dtype + " row " + c);
                spread = Math.max(spread, Math.abs(want[0] - p[0]));
            }
            assertTrue(spread > 1e-3, "rows give different probabilities, so the comparison is not vacuous");
        }
    }
}
