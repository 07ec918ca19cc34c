// evaluate and predict on Spark: the input is parsed split by split on the executors and scored in place.
package io.sparkprop.spark.score;

import io.sparkprop.spark.data.Chunks;
import io.sparkprop.spark.data.ExecutorInput;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.model.Model;

/**
 * No placement shuffle is needed: each parsed chunk is scaled with the model's statistics and run forward where
 * it was read, so predictions keep the input's order (part files in split order).
 */
public final class SparkScoring {
    private SparkScoring() {
    }

    /** Metrics statistics of the whole input, summed in chunk order. */
    public static double[] evaluate(JavaSparkContext sc, Model model, TrainConfig cfg, String path) {
        Broadcast<Model> bm = sc.broadcast(model);
        List<double[]> parts = scaledChunks(sc, model, cfg, path, bm).map(d -> {
            Model m = bm.value();
            double[] stats = Metrics.newStats(m.net());
            return d.rows == 0 ? stats : new Evaluator(m.net(), m.net().newWorkspace(Backend.AUTO.gemm()))
                    .addTo(stats, m.params(), d);
        }).collect();
        bm.destroy();
        double[] acc = Metrics.newStats(model.net());
        for (double[] s : parts) Metrics.merge(acc, s);
        return acc;
    }

    /** Writes part files of CSV lines (each with the header) into the directory {@code out}. */
    public static void predict(JavaSparkContext sc, Model model, TrainConfig cfg, String path, String out,
                               String header) {
        Broadcast<Model> bm = sc.broadcast(model);
        List<String> targets = cfg.multiTarget() ? new ArrayList<>(cfg.labelColumns()) : null;
        scaledChunks(sc, model, cfg, path, bm).mapPartitions(it -> {
            Model m = bm.value();
            List<String> lines = new ArrayList<>();
            lines.add(header);
            Evaluator ev = new Evaluator(m.net(), m.net().newWorkspace(Backend.AUTO.gemm()));
            while (it.hasNext()) {
                Dataset d = it.next();
                for (int from = 0; from < d.rows; from += Evaluator.CHUNK) {
                    int to = Math.min(d.rows, from + Evaluator.CHUNK);
                    double[] p = ev.predict(m.params(), d, from, to);
                    for (int c = 0; c < to - from; c++) {
                        lines.add(PredictionRows.row(p, c, m.net().outputs(), m.classNames(), targets));
                    }
                }
            }
            return lines.iterator();
        }).saveAsTextFile(out);
        bm.destroy();
    }

    /** The input's text format; fails (before Spark starts, when called first) for IDX or builtin input. */
    public static DataFormat formatOf(String path, TrainConfig cfg) {
        DataFormat format = ExecutorInput.formatOf(path, cfg.format());
        if (format == null) {
            throw new UserError(path + ": evaluate/predict on Spark read CSV or LIBSVM files; for IDX or builtin"
                    + " data leave out --master");
        }
        return format;
    }

    private static JavaRDD<Dataset> scaledChunks(JavaSparkContext sc, Model model, TrainConfig cfg, String path,
                                                 Broadcast<Model> bm) {
        DataFormat format = formatOf(path, cfg);
        Chunks chunks = Chunks.parse(sc, path, format, cfg, model.isClassification(), model.classNames(),
                model.features(), sc.defaultParallelism());
        int width = chunks.width();
        if (width != model.features()) {
            throw new UserError(path + ": " + width + " features, the model expects " + model.features());
        }
        return chunks.rdd().map(c -> {
            Model m = bm.value();
            Scaler s = Scaler.of(Scaler.Kind.parse(m.scaleKind()), m.shift(), m.scale());
            return s.apply(new Dataset(c.rows, c.features, 1, c.x, c.y, m.classNames()).withWeights(c.w));
        });
    }
}
