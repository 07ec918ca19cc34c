// `sparkprop predict`: a CSV of predictions — the label, then one probability per class (or the value).
package io.sparkprop.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.score.PredictionRows;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.spark.score.SparkScoring;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Write predictions of a saved model as CSV: label, then p_<class> per class.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelInput input;

    @Option(names = "--output", required = true, paramLabel = "FILE|DIR",
            description = "CSV file to write; with --master a directory of part files.")
    String output;

    @Option(names = "--master", paramLabel = "URL",
            description = "Predict on Spark: CSV/LIBSVM parsed by the executors, partitioned output in --output.")
    String master;


    @Override
    public Integer call() throws IOException {
        Model m = input.model();
        String data = input.data;
        int k = m.net().outputs();
        if (master != null) {
            // A URI (hdfs://, s3a://) goes to Spark as written; a local path is checked here first.
            boolean local = !output.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
            if (local && Files.exists(Path.of(output))) {
                throw new UserError("--output " + output + " already exists; Spark writes a new directory of part files");
            }
            if (local) {
                OutputPaths.checkDirectory("--output", Path.of(output));
            }
            input.checkForSpark();
            JavaSparkContext sc = SparkContexts.start(master, "sparkprop predict", input.verbose);
            try {
                SparkScoring.predict(sc, m, ModelData.config(m), data, output,
                        PredictionRows.header(m.classNames(), k, ModelData.targetNames(m)));
            } finally {
                sc.stop();
            }
            System.err.println("wrote predictions to " + output + "/part-*");
            return 0;
        }
        OutputPaths.checkFileParent("--output", Path.of(output));
        Dataset d = ModelData.load(m, data);
        Evaluator ev = new Evaluator(m.net(), m.net().newWorkspace(Backend.AUTO.gemm()));
        List<String> classes = m.classNames();
        List<String> targets = ModelData.targetNames(m);
        Path abs = Path.of(output).toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new UserError("--output " + output + " is a directory; give a file name (or use --master for part"
                    + " files)");
        }
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
            w.write(PredictionRows.header(classes, k, targets));
            w.newLine();
            for (int from = 0; from < d.rows; from += Evaluator.CHUNK) {
                int to = Math.min(d.rows, from + Evaluator.CHUNK);
                double[] p = ev.predict(m.params(), d, from, to);
                for (int c = 0; c < to - from; c++) {
                    w.write(PredictionRows.row(p, c, k, classes, targets));
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

}
