// The exported graph's structure and its refusals, on hand-made models (no training needed).
package io.sparkprop.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.kernel.OjAlgoGemm;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;

class OnnxGraphTest {
    @TempDir
    Path tmp;

    static Model model(int[] sizes, Activation a, Loss loss, String kind, List<String> classes) {
        Network net = new Network(sizes, a, loss, 0.0);
        double[] params = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), params, 3);
        int f = sizes[0];
        double[] shift = new double[f];
        double[] scale = new double[f];
        java.util.Arrays.fill(scale, 1.0);
        if (!kind.equals("none")) {
            for (int j = 0; j < f; j++) {
                shift[j] = 0.5 * j - 0.25;
                scale[j] = 1.0 / (1 + j);
            }
        }
        return new Model(net, params, kind, shift, scale, classes, "", null);
    }

    static List<String> ops(ModelProto m) {
        return m.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    }

    @Test
    void nodesFollowTheModel() {
        Model m = model(new int[] {2, 4, 3, 3}, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY, "standard",
                List.of("a", "b", "c"));
        ModelProto p = OnnxExport.build(m, OnnxDtype.FLOAT32);
        assertEquals(List.of("Sub", "Mul", "Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax", "ArgMax"), ops(p));
        assertEquals(OnnxExport.OPSET, p.getOpsetImport(0).getVersion());
        assertEquals("", p.getOpsetImport(0).getDomain());
        assertEquals("features", p.getGraph().getInput(0).getName());
        assertEquals(List.of("probabilities", "label"),
                p.getGraph().getOutputList().stream().map(v -> v.getName()).toList());
        // Weight tensors are (in × out): W_l's column-major bytes read as row-major Wᵀ.
        assertEquals(List.of(2L, 4L), p.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("W1")).findFirst().orElseThrow().getDimsList());

        Model linear = model(new int[] {3, 2}, Activation.TANH, Loss.MSE, "none", null);
        assertEquals(List.of("Gemm", "Identity"), ops(OnnxExport.build(linear, OnnxDtype.FLOAT64)));
        Model binary = model(new int[] {3, 5, 1}, Activation.LEAKY_RELU, Loss.SIGMOID_CROSS_ENTROPY, "minmax",
                List.of("no", "yes"));
        assertEquals(List.of("Sub", "Mul", "Gemm", "LeakyRelu", "Gemm", "Sigmoid", "Sub", "Concat", "ArgMax"),
                ops(OnnxExport.build(binary, OnnxDtype.FLOAT32)));
        assertEquals(List.of("Sub", "Mul", "Gemm", "Mul", "Max", "Gemm", "Sigmoid", "Sub", "Concat", "ArgMax"),
                ops(OnnxExport.build(binary, OnnxDtype.FLOAT64)));
        Model identityHidden = model(new int[] {3, 5, 2}, Activation.IDENTITY, Loss.MSE, "none", null);
        assertEquals(List.of("Gemm", "Gemm", "Identity"), ops(OnnxExport.build(identityHidden, OnnxDtype.FLOAT32)));
    }

    @Test
    void theOutputUnitIsTheNetworksOwn() {
        List<String> c = List.of("x", "y", "z");
        OutputUnit softmax = OutputUnit.of(model(new int[] {2, 3}, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY,
                "none", c));
        assertEquals(Output.SOFTMAX, softmax.output);
        assertEquals(List.of("probabilities", "label"), softmax.graphOutputs());
        assertEquals(Output.SIGMOID, OutputUnit.of(model(new int[] {2, 3}, Activation.RELU,
                Loss.SIGMOID_CROSS_ENTROPY, "none", c)).output);
        OutputUnit mse = OutputUnit.of(model(new int[] {2, 3}, Activation.RELU, Loss.MSE, "none", null));
        assertEquals(Output.IDENTITY, mse.output);
        assertEquals("values", mse.outputName);
        assertFalse(mse.hasLabel);
        // mse on sigmoid or softmax outputs: the unit follows model.output, the label the classifier flag.
        for (Output out : List.of(Output.SIGMOID, Output.SOFTMAX)) {
            Network cls = new Network(new int[] {2, 3}, Activation.RELU, out, Loss.MSE, 0.0, true);
            OutputUnit u = OutputUnit.of(withNet(model(new int[] {2, 3}, Activation.RELU, Loss.MSE, "none", c), cls));
            assertEquals(out, u.output);
            assertEquals(List.of("probabilities", "label"), u.graphOutputs());
            assertEquals(List.of("Gemm", out == Output.SIGMOID ? "Sigmoid" : "Softmax", "ArgMax"),
                    ops(OnnxExport.build(withNet(model(new int[] {2, 3}, Activation.RELU, Loss.MSE, "none", c), cls),
                            OnnxDtype.FLOAT32)));
            Network reg = new Network(new int[] {2, 3}, Activation.RELU, out, Loss.MSE, 0.0, false);
            OutputUnit r = OutputUnit.of(withNet(model(new int[] {2, 3}, Activation.RELU, Loss.MSE, "none", null),
                    reg));
            assertEquals(List.of("values"), r.graphOutputs());
        }
    }

    /** The same weights and scaling under another network of the same sizes. */
    private static Model withNet(Model m, Network net) {
        return new Model(net, m.params(), m.scaleKind(), m.shift(), m.scale(), m.classNames(), m.config(),
                m.header());
    }

    @Test
    void aWeightBeyondFloat32IsRefusedAndFloat64StillWorks() throws Exception {
        Model m = model(new int[] {2, 3, 2}, Activation.SIGMOID, Loss.SOFTMAX_CROSS_ENTROPY, "none",
                List.of("a", "b"));
        m.params()[m.net().layout().bOffset(1)] = 1e40;
        Path file = tmp.resolve("big.onnx");
        UserError e = assertThrows(UserError.class, () -> OnnxExport.write(m, OnnxDtype.FLOAT32, file));
        assertEquals("b2 holds 1.0E40, beyond the float32 range; export with --dtype float64", e.getMessage());
        assertFalse(Files.exists(file), "nothing written");
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count(), "no temporary file left behind");
        }
        OnnxExport.write(m, OnnxDtype.FLOAT64, file);
        OnnxRun run = OnnxRun.run(file, new double[] {0.3, -0.7}, 1, 2, OnnxDtype.FLOAT64);
        assertArrayEquals(new double[] {1, 0}, run.matrix("probabilities")[0], 1e-12);
    }

    @Test
    void aLinearModelWithoutHiddenLayersRunsToo() throws Exception {
        Model m = model(new int[] {2, 1}, Activation.RELU, Loss.MSE, "minmax", null);
        Dataset raw = Builtins.spirals(10, 2, 0.1, 5);
        Dataset scaled = Scaler.of(Scaler.Kind.MINMAX, m.shift(), m.scale()).apply(raw);
        double[] p = new Evaluator(m.net(), m.net().newWorkspace(new OjAlgoGemm())).predict(m.params(), scaled, 0,
                raw.rows);
        Path file = tmp.resolve("linear.onnx");
        OnnxExport.write(m, OnnxDtype.FLOAT64, file);
        double[][] got = OnnxRun.run(file, raw.x, raw.rows, 2, OnnxDtype.FLOAT64).matrix("values");
        for (int c = 0; c < raw.rows; c++) {
            assertArrayEquals(new double[] {p[c]}, got[c], 1e-12);
        }
        assertTrue(Files.size(file) > 0);
    }
}
