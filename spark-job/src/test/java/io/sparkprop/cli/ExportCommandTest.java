// `sparkprop export` end to end: train, export, run the file with ONNX Runtime, compare with `predict`'s CSV.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;

class ExportCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static List<String> predicted;

    @BeforeAll
    static void trainAndPredict() throws Exception {
        Path out = tmp.resolve("run");
        Cli train = Cli.run("train", "--set", "train.epochs=5", "--set", "model.hidden=[6]",
                "--set", "model.activation=tanh", "--set", "checkpoint.every-epochs=0", "--out", out.toString());
        assertEquals(0, train.exit(), train.err());
        model = out.resolve("model");
        Path csv = tmp.resolve("pred.csv");
        Cli pred = Cli.run("predict", "--model", model.toString(), "--data", "builtin:wheat-seeds",
                "--output", csv.toString());
        assertEquals(0, pred.exit(), pred.err());
        predicted = Files.readAllLines(csv);
    }

    @Test
    void float32AndFloat64FilesReproducePredict() throws Exception {
        Dataset d = Builtins.wheatSeeds(null);
        String[] header = predicted.get(0).split(",");
        assertEquals("label,p_1,p_2,p_3", predicted.get(0));
        for (String dtype : List.of("float32", "float64")) {
            Path file = tmp.resolve(dtype + ".onnx");
            Cli export = Cli.run("export", "--model", model.toString(), "--format", "onnx", "--dtype", dtype,
                    "--output", file.toString());
            assertEquals(0, export.exit(), export.err());
            assertTrue(export.err().contains("input features [N, 7], output probabilities and label"), export.err());
            double tol = dtype.equals("float32") ? 1e-5 : 1e-12;
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession s = env.createSession(file.toString());
                 OnnxTensor in = input(env, d, dtype);
                 OrtSession.Result r = s.run(Map.of("features", in))) {
                assertEquals("[\"1\",\"2\",\"3\"]", s.getMetadata().getCustomMetadata().get("classes"));
                long[] label = (long[]) r.get("label").orElseThrow().getValue();
                Object p = r.get("probabilities").orElseThrow().getValue();
                for (int c = 0; c < d.rows; c++) {
                    String[] row = predicted.get(c + 1).split(",");
                    for (int j = 0; j < 3; j++) {
                        double got = p instanceof float[][] f ? f[c][j] : ((double[][]) p)[c][j];
                        assertEquals(Double.parseDouble(row[j + 1]), got, tol, dtype + " row " + c);
                    }
                    assertEquals(row[0], header[(int) label[c] + 1].substring(2), dtype + " label of row " + c);
                }
            }
        }
    }

    @Test
    void whatCannotBeWrittenIsRefusedInOneLineAndLeavesNoFile() throws Exception {
        Path file = tmp.resolve("refused.onnx");
        String m = model.toString();
        String f = file.toString();
        assertRefused("--format pmml: expected onnx", "export", "--model", m, "--format", "pmml", "--output", f);
        assertRefused("--dtype float16: expected float32 or float64",
                "export", "--model", m, "--dtype", "float16", "--output", f);
        assertRefused("is a directory", "export", "--model", m, "--output", tmp.toString());
        assertRefused("no such model directory", "export", "--model", tmp.resolve("nothing").toString(),
                "--output", f);
        assertFalse(Files.exists(file));
    }

    private static void assertRefused(String message, String... args) {
        Cli r = Cli.run(args);
        assertEquals(Main.USER_ERROR, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }

    private static OnnxTensor input(OrtEnvironment env, Dataset d, String dtype) throws Exception {
        if (dtype.equals("float64")) {
            double[][] x = new double[d.rows][d.features];
            for (int r = 0; r < d.rows; r++) System.arraycopy(d.x, r * d.features, x[r], 0, d.features);
            return OnnxTensor.createTensor(env, x);
        }
        float[][] x = new float[d.rows][d.features];
        for (int r = 0; r < d.rows; r++) {
            for (int j = 0; j < d.features; j++) x[r][j] = (float) d.x[r * d.features + j];
        }
        return OnnxTensor.createTensor(env, x);
    }
}
