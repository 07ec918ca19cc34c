// Exported ONNX files, run by ONNX Runtime, reproduce predict for every activation × loss × scaling, and for each
// (output, loss) pair model.output allows: mse on sigmoid/softmax outputs, several targets, multi-label.
package io.sparkprop.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.data.DataLoader;
import io.sparkprop.trainer.data.DataSpec;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.OnBadRow;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.data.Scaling;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Backend;
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
    /** CSV written by the test: x1, t1, x2, t2 with two real targets t1 = x1 + x2, t2 = x1 − x2. */
    static final String VALUES = "two real targets";
    /** The same rows with the targets' signs as 0/1 labels (multi-label). */
    static final String LABELS = "two 0/1 targets";

    @TempDir
    Path tmp;

    static Stream<Arguments> models() {
        List<Arguments> all = new ArrayList<>();
        for (Activation a : Activation.values()) {
            for (Loss l : Loss.values()) {
                for (Scaling scale : Scaling.values()) {
                    all.add(Arguments.of(a.configName, l.configName, "auto", scale.id(), SEEDS));
                }
            }
        }
        all.add(Arguments.of("tanh", "sigmoid-cross-entropy", "auto", "standard", BINARY));
        all.add(Arguments.of("leaky-relu", "sigmoid-cross-entropy", "auto", "minmax", BINARY));
        all.add(Arguments.of("relu", "softmax-cross-entropy", "auto", "none", BINARY));
        // mse on the other units, classifying one label column (one-hot targets, arg-max label) ...
        for (String out : List.of("sigmoid", "softmax")) {
            all.add(Arguments.of("sigmoid", "mse", out, "minmax", SEEDS));
            all.add(Arguments.of("relu", "mse", out, "standard", BINARY));
            // ... and as regression on several real targets, each unit's p a value.
            all.add(Arguments.of("tanh", "mse", out, "standard", VALUES));
        }
        all.add(Arguments.of("tanh", "mse", "identity", "none", VALUES));
        all.add(Arguments.of("tanh", "mse", "auto", "standard", VALUES));
        // Multi-label: one probability per label, no arg-max.
        all.add(Arguments.of("tanh", "sigmoid-cross-entropy", "auto", "standard", LABELS));
        all.add(Arguments.of("relu", "sigmoid-cross-entropy", "sigmoid", "minmax", LABELS));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} output={2} scale={3} {4}")
    @MethodSource("models")
    void onnxRuntimeReproducesPredict(String activation, String loss, String output, String scale, String source)
            throws Exception {
        boolean multi = source.equals(VALUES) || source.equals(LABELS);
        String data = multi ? csv(source.equals(LABELS)).toString() : source;
        Model m = train(activation, loss, output, scale, data, multi);
        Dataset raw = rawData(m, data, multi);
        int n = raw.rows;
        int k = m.net().outputs();
        if (multi) {
            assertEquals(2, raw.targets, "both target columns read");
        }
        Dataset scaled = Scaler.of(Scaler.Kind.parse(m.scaleKind()), m.shift(), m.scale()).apply(raw);
        double[] p = new Evaluator(m.net(), m.net().newWorkspace(Backend.AUTO.gemm()))
                .predict(m.params(), scaled, 0, n).clone(); // (k × n), column c at c·k
        OutputUnit unit = OutputUnit.of(m);
        assertEquals(m.net().output, unit.output);
        boolean labelled = m.isClassification() && !multi;
        assertEquals(labelled, unit.hasLabel, unit.toString());

        for (OnnxDtype dtype : OnnxDtype.values()) {
            double tol = dtype == OnnxDtype.FLOAT32 ? 1e-5 : 1e-12;
            Path file = tmp.resolve(dtype.id() + ".onnx");
            OnnxExport.write(m, dtype, file);
            OnnxRun run = OnnxRun.run(file, raw.x, n, raw.features, dtype);
            double[][] got = run.matrix(unit.outputName);
            assertEquals(n, got.length);
            for (int c = 0; c < n; c++) {
                double[] expected = k == 1 && m.isClassification()
                        ? new double[] {1 - p[c], p[c]} : java.util.Arrays.copyOfRange(p, c * k, c * k + k);
                assertArrayEquals(expected, got[c], tol, dtype + " row " + c);
            }
            if (labelled) {
                long[] label = (long[]) run.outputs().get(OnnxExport.LABEL);
                int agree = 0;
                for (int c = 0; c < n; c++) {
                    if (label[c] == Metrics.argmax(p, c, k)) agree++;
                }
                // A float32 probability may tie where the float64 one does not; allow that, nothing more.
                assertTrue(agree >= n - (dtype == OnnxDtype.FLOAT32 ? 1 : 0), dtype + ": " + agree + "/" + n);
                assertEquals(json(m.classNames()), run.metadata().get("classes"));
                assertEquals(List.of("probabilities", "label"), List.copyOf(run.outputs().keySet()));
            } else if (m.isClassification()) {
                // Multi-label: the labels' names, one probability column each, and no arg-max.
                assertEquals(json(List.of("t1", "t2")), run.metadata().get("classes"));
                assertEquals(List.of("probabilities"), List.copyOf(run.outputs().keySet()));
            } else {
                assertEquals(List.of("values"), List.copyOf(run.outputs().keySet()));
                assertFalse(run.metadata().containsKey("classes"));
            }
            assertEquals(loss, run.metadata().get("loss"));
            assertEquals(activation, run.metadata().get("activation"));
            assertEquals(m.net().output.configName, run.metadata().get("output"));
        }
    }

    /** x1, t1, x2, t2 (120 rows): t1 = x1 + x2, t2 = x1 − x2, or their signs as 0/1 labels. */
    private Path csv(boolean labels) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("x1,t1,x2,t2\n");
        for (int i = 0; i < 120; i++) {
            double a = r.nextDouble(-1, 1);
            double b = r.nextDouble(-1, 1);
            double t1 = labels ? (a + b > 0 ? 1 : 0) : a + b;
            double t2 = labels ? (a - b > 0 ? 1 : 0) : a - b;
            sb.append(a).append(',').append(t1).append(',').append(b).append(',').append(t2).append('\n');
        }
        Path f = tmp.resolve(labels ? "labels.csv" : "values.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    /** A tiny model trained for a few epochs: hidden [5, 4], so two activations and three Gemm nodes. */
    private Model train(String activation, String loss, String output, String scale, String data, boolean multi)
            throws Exception {
        List<String> sets = new ArrayList<>(List.of(
                "data.train=\"" + data + "\"", "data.scale=" + scale, "model.hidden=[5,4]",
                "model.activation=" + activation, "model.loss=" + loss, "model.output=" + output, "train.epochs=3",
                "train.threads=1", "checkpoint.every-epochs=0", "optimizer.learning-rate=0.05"));
        if (multi) {
            sets.add("data.label-column=[t1, t2]");
        }
        TrainConfig cfg = TrainConfig.from(ConfigLoader.load(null, sets));
        Path out = tmp.resolve("run");
        RunHooks local = (net, d, plan) -> LocalEngine.on(net, d, plan, () -> Backend.AUTO.gemm(), 1);
        new TrainJob(cfg, out, local, new PrintStream(OutputStream.nullOutputStream())).run(false);
        return ModelIO.load(out.resolve("model"));
    }

    /** The rows as predict reads them for this model: unscaled, the model's label mapping and target columns. */
    private static Dataset rawData(Model m, String data, boolean multi) {
        return DataLoader.load(new DataSpec(data, DataFormat.AUTO, multi ? "t1,t2" : null, m.features(),
                m.isClassification(), m.classNames(), OnBadRow.FAIL, 42L)).data();
    }

    private static String json(List<String> names) {
        return "[" + String.join(",", names.stream().map(s -> "\"" + s + "\"").toList()) + "]";
    }
}
