// Exported ONNX files, run by ONNX Runtime, reproduce predict for every activation × loss × scaling.
package io.sparkprop.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.DataLoader;
import io.sparkprop.trainer.data.DataSpec;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Kernels;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.model.ModelIO;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.RunHooks;
import io.sparkprop.trainer.train.TrainJob;

class OnnxExportTest {
    static final String SEEDS = "builtin:wheat-seeds";
    /** Two classes: one sigmoid unit, the case whose output gains the complementary column. */
    static final String BINARY = "builtin:spirals?points=60&classes=2";

    @TempDir
    Path tmp;

    static Stream<Arguments> models() {
        List<Arguments> all = new ArrayList<>();
        for (Activation a : Activation.values()) {
            for (Loss l : Loss.values()) {
                for (String scale : TrainConfig.SCALES) {
                    all.add(Arguments.of(a.configName, l.configName, scale, SEEDS));
                }
            }
        }
        all.add(Arguments.of("tanh", "sigmoid-cross-entropy", "standard", BINARY));
        all.add(Arguments.of("leaky-relu", "sigmoid-cross-entropy", "minmax", BINARY));
        all.add(Arguments.of("relu", "softmax-cross-entropy", "none", BINARY));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} scale={2} {3}")
    @MethodSource("models")
    void onnxRuntimeReproducesPredict(String activation, String loss, String scale, String data) throws Exception {
        Model m = train(activation, loss, scale, data);
        Dataset raw = rawData(m, data);
        int n = raw.rows;
        int k = m.net().outputs();
        Dataset scaled = Scaler.of(Scaler.Kind.parse(m.scaleKind()), m.shift(), m.scale()).apply(raw);
        double[] p = new Evaluator(m.net(), m.net().newWorkspace(Kernels.create("auto")))
                .predict(m.params(), scaled, 0, n).clone(); // (k × n), column c at c·k

        for (OnnxDtype dtype : OnnxDtype.values()) {
            double tol = dtype == OnnxDtype.FLOAT32 ? 1e-5 : 1e-12;
            Path file = tmp.resolve(dtype.id() + ".onnx");
            OnnxExport.write(m, dtype, file);
            OnnxRun run = OnnxRun.run(file, raw.x, n, raw.features, dtype);
            OutputUnit unit = OutputUnit.of(m);
            double[][] got = run.matrix(unit.outputName);
            assertEquals(n, got.length);
            for (int c = 0; c < n; c++) {
                double[] expected = k == 1 && m.isClassification()
                        ? new double[] {1 - p[c], p[c]} : java.util.Arrays.copyOfRange(p, c * k, c * k + k);
                assertArrayEquals(expected, got[c], tol, dtype + " row " + c);
            }
            if (m.isClassification()) {
                long[] label = (long[]) run.outputs().get(OnnxExport.LABEL);
                int agree = 0;
                for (int c = 0; c < n; c++) {
                    if (label[c] == Metrics.argmax(p, c, k)) agree++;
                }
                // A float32 probability may tie where the float64 one does not; allow that, nothing more.
                assertTrue(agree >= n - (dtype == OnnxDtype.FLOAT32 ? 1 : 0), dtype + ": " + agree + "/" + n);
                assertEquals(json(m.classNames()), run.metadata().get("classes"));
                assertEquals(List.of("probabilities", "label"), List.copyOf(run.outputs().keySet()));
            } else {
                assertEquals(List.of("values"), List.copyOf(run.outputs().keySet()));
                assertFalse(run.metadata().containsKey("classes"));
            }
            assertEquals(loss, run.metadata().get("loss"));
            assertEquals(activation, run.metadata().get("activation"));
        }
    }

    /** A tiny model trained for a few epochs: hidden [5, 4], so two activations and three Gemm nodes. */
    private Model train(String activation, String loss, String scale, String data) throws Exception {
        TrainConfig cfg = TrainConfig.from(ConfigLoader.load(null, List.of(
                "data.train=\"" + data + "\"", "data.scale=" + scale, "model.hidden=[5,4]",
                "model.activation=" + activation, "model.loss=" + loss, "train.epochs=3", "train.threads=1",
                "checkpoint.every-epochs=0", "optimizer.learning-rate=0.05")));
        Path out = tmp.resolve("run");
        RunHooks local = (net, d, plan) -> LocalEngine.on(net, d, plan, () -> Kernels.create("auto"), 1);
        new TrainJob(cfg, out, local, new PrintStream(OutputStream.nullOutputStream())).run(false);
        return ModelIO.load(out.resolve("model"));
    }

    /** The rows as predict reads them for this model: unscaled, the model's label mapping. */
    private static Dataset rawData(Model m, String data) {
        return DataLoader.load(new DataSpec(data, "auto", null, m.features(), m.isClassification(),
                m.classNames(), "fail", 42L)).data();
    }

    private static String json(List<String> names) {
        return "[" + String.join(",", names.stream().map(s -> "\"" + s + "\"").toList()) + "]";
    }
}
