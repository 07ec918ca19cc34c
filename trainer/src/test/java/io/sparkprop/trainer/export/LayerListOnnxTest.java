// Exported layer-list models (conv2d same and valid, stride 2, max-pool, avg-pool, flatten, dense, dropout), run by
// ONNX Runtime on the raw flat features, reproduce predict's probabilities for float64 and float32 networks.
package io.sparkprop.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.LayerKind;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.nn.Shape;

class LayerListOnnxTest {
    private static final int ROWS = 40;

    @TempDir
    Path tmp;

    /** [2, 10, 10] → conv same [3, 10, 10] → conv valid stride 2 [4, 4, 4] → max [4, 3, 3] → avg [4, 2, 2] → ... */
    static final List<LayerSpec> CNN = List.of(
            LayerSpec.conv2d(3, 3, 1, 1, Activation.RELU),
            LayerSpec.conv2d(4, 3, 2, 0, Activation.LEAKY_RELU),
            LayerSpec.maxPool(2, 1),
            LayerSpec.avgPool(2, 1),
            LayerSpec.flatten(),
            LayerSpec.dense(6, Activation.SIGMOID),
            LayerSpec.dropout(0.3));

    @ParameterizedTest(name = "float32 network: {0}")
    @ValueSource(booleans = {false, true})
    void aSmallCnnMatchesPredict(boolean float32) throws Exception {
        Network net = new Network(new LayerStack(new Shape(2, 10, 10), CNN, 3), Activation.RELU, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, float32);
        check(model(net, 3, 200), "layer0.z layer1.z layer2.max layer3.avg layer4.flat layer5.z layer7.z");
    }

    /** A conv2d output of [4, 1, 1] is flat: the dense layer after it needs no flatten layer, the graph still does. */
    @Test
    void aFlatConvOutputFeedsDenseAndOneSigmoidUnitGivesTwoColumns() throws Exception {
        List<LayerSpec> layers = List.of(LayerSpec.conv2d(4, 5, 1, 0, Activation.TANH),
                LayerSpec.dense(3, Activation.IDENTITY));
        Network net = new Network(new LayerStack(new Shape(1, 5, 5), layers, 1), Activation.RELU, Output.SIGMOID,
                Loss.SIGMOID_CROSS_ENTROPY, true, false);
        check(model(net, 2, 25), "layer0.z layer1.flat layer1.z layer2.z");
    }

    /** A dense-only list on flat input needs no Reshape: Gemm nodes as for model.hidden. */
    @Test
    void aDenseOnlyListHasNoReshape() throws Exception {
        Network net = new Network(new LayerStack(Shape.flat(7), List.of(LayerSpec.dense(5, Activation.TANH),
                LayerSpec.dropout(0.5), LayerSpec.dense(4, Activation.RELU)), 3), Activation.RELU, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, false);
        check(model(net, 3, 7), "layer0.z layer2.z layer3.z");
    }

    @Test
    void theMetadataDescribesTheLayerList() {
        Network net = new Network(new LayerStack(new Shape(2, 10, 10), CNN, 3), Activation.RELU, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, false);
        ModelProto p = OnnxExport.build(model(net, 3, 200), OnnxDtype.FLOAT32);
        String shape = p.getMetadataPropsList().stream().filter(e -> e.getKey().equals("input_shape")).findFirst()
                .orElseThrow().getValue();
        assertEquals("[2,10,10]", shape);
        String list = p.getMetadataPropsList().stream().filter(e -> e.getKey().equals("layer_list")).findFirst()
                .orElseThrow().getValue();
        assertTrue(list.startsWith("[{\"activation\":\"relu\",\"filters\":3,\"kernel\":3,\"padding\":1,\"stride\":1,"
                + "\"type\":\"conv2d\"}"), list);
        assertEquals(List.of("Sub", "Mul", "Reshape", "Conv", "Relu", "Conv", "LeakyRelu", "MaxPool", "AveragePool",
                "Flatten", "Gemm", "Sigmoid", "Gemm", "Softmax", "ArgMax"),
                p.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
    }

    /** A layer kind with no emitter (here conv2d, hidden from the registry) is refused naming its index and type. */
    @Test
    void aKindWithoutAnEmitterIsRefusedNamingTheLayer() {
        LayerStack stack = new LayerStack(new Shape(2, 10, 10), CNN, 3);
        OnnxGraph g = new OnnxGraph("t", OnnxDtype.FLOAT32);
        String e = assertThrows(UserError.class, () -> LayerGraph.append(g, OnnxDtype.FLOAT32, stack,
                new double[stack.layout().size()], "features",
                kind -> kind == LayerKind.CONV2D ? null : LayerEmitters.of(kind))).getMessage();
        assertEquals("export: layer 0 (conv2d) has no ONNX form yet; this model cannot be exported", e);
        assertEquals(0, g.g.getNodeCount(), "nothing written");
    }

    /** ORT's probabilities against Evaluator.predict on the scaled rows; {@code zNodes}: the layers' outputs. */
    private void check(Model m, String zNodes) throws Exception {
        int f = m.features();
        SplittableRandom r = new SplittableRandom(11);
        double[] x = new double[ROWS * f];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-3, 3);
        Dataset raw = new Dataset(ROWS, f, 1, x, new double[ROWS], m.classNames());
        Dataset scaled = Scaler.of(Scaler.Kind.STANDARD, m.shift(), m.scale()).apply(raw);
        int k = m.net().outputs();
        double[] p = new Evaluator(m.net(), m.net().newWorkspace(Backend.AUTO.gemm())).predict(m.params(), scaled, 0,
                ROWS).clone();
        for (OnnxDtype dtype : OnnxDtype.values()) {
            Path file = tmp.resolve(dtype.id() + ".onnx");
            OnnxExport.write(m, dtype, file);
            double[][] got = OnnxRun.run(file, x, ROWS, f, dtype).matrix("probabilities");
            // float64 ONNX against a float32 network: the network's own rounding (1e-6 relative) is what differs.
            double tol = dtype == OnnxDtype.FLOAT32 || m.net().float32 ? 1e-5 : 1e-12;
            double spread = 0;
            double first = k == 1 ? 1 - p[0] : p[0];
            for (int c = 0; c < ROWS; c++) {
                double[] want = k == 1 ? new double[] {1 - p[c], p[c]}
                        : java.util.Arrays.copyOfRange(p, c * k, c * k + k);
                assertArrayEquals(want, got[c], tol, dtype + " row " + c);
                spread = Math.max(spread, Math.abs(want[0] - first));
            }
            assertTrue(spread > 1e-3, "rows give different probabilities, so the comparison is not vacuous");
        }
        String layers = OnnxExport.build(m, OnnxDtype.FLOAT32).getGraph().getNodeList().stream()
                .map(NodeProto::getName).filter(s -> s.startsWith("layer") && (s.endsWith(".z") || s.endsWith(".max")
                        || s.endsWith(".avg") || s.endsWith(".flat"))).collect(Collectors.joining(" "));
        assertEquals(zNodes, layers);
    }

    /** Random weights and biases (not an initializer's zeros) and a non-trivial standard scaling of f features. */
    static Model model(Network net, int classes, int f) {
        SplittableRandom r = new SplittableRandom(5);
        double[] params = new double[net.paramCount()];
        for (int i = 0; i < params.length; i++) params[i] = r.nextDouble(-0.5, 0.5);
        double[] shift = new double[f];
        double[] scale = new double[f];
        for (int j = 0; j < f; j++) {
            shift[j] = r.nextDouble(-0.5, 0.5);
            scale[j] = r.nextDouble(0.5, 1.5);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) names.add("c" + c);
        return new Model(net, params, "standard", shift, scale, names, "", null);
    }
}
