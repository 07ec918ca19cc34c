// `sparkprop predict`: a CSV of predictions — the label, then one probability per class (or the value).
package io.sparkprop.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Kernels;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.model.ModelIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Write predictions of a saved model as CSV: label, then p_<class> per class.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (OUT/model).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Data file or builtin:name.")
    String data;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "CSV file to write.")
    Path output;

    @Option(names = "--master", paramLabel = "URL", description = "Accepted for symmetry with train; runs locally.")
    String master;

    @Option(names = "--verbose", description = "Print stack traces.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        Model m = ModelIO.load(model);
        Dataset d = ModelData.load(m, data);
        Evaluator ev = new Evaluator(m.net(), m.net().newWorkspace(Kernels.create("auto")));
        int k = m.net().outputs();
        List<String> classes = m.classNames();
        Path abs = output.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
            w.write(header(classes, k));
            w.newLine();
            for (int from = 0; from < d.rows; from += Evaluator.CHUNK) {
                int to = Math.min(d.rows, from + Evaluator.CHUNK);
                double[] p = ev.predict(m.params(), d, from, to);
                for (int c = 0; c < to - from; c++) {
                    w.write(row(p, c, k, classes));
                    w.newLine();
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.err.println("wrote " + d.rows + " predictions to " + output);
        return 0;
    }

    private static String header(List<String> classes, int k) {
        if (classes == null) {
            StringBuilder sb = new StringBuilder("prediction");
            for (int j = 1; j < k; j++) sb.append(",prediction_").append(j);
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder("label");
        for (String c : classes) sb.append(",p_").append(c);
        return sb.toString();
    }

    private static String row(double[] p, int c, int k, List<String> classes) {
        StringBuilder sb = new StringBuilder();
        if (classes == null) {
            for (int j = 0; j < k; j++) sb.append(j == 0 ? "" : ",").append(p[c * k + j]);
            return sb.toString();
        }
        sb.append(classes.get(Metrics.argmax(p, c, k)));
        if (k == 1) { // a single sigmoid unit: p is the probability of the second class
            return sb.append(',').append(1 - p[c]).append(',').append(p[c]).toString();
        }
        for (int j = 0; j < k; j++) sb.append(',').append(p[c * k + j]);
        return sb.toString();
    }
}
