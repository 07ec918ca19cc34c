// The files of a run directory that are not the model: metrics.csv, summary.json, config.conf.
package io.sparkprop.trainer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;

import io.sparkprop.trainer.io.AtomicFiles;

/** Each file is rewritten whole under a temporary name and renamed, so a reader never sees half of one. */
public final class RunOutputs {
    public static final String METRICS_HEADER =
            "epoch,step,train_loss,val_loss,val_accuracy,learning_rate,samples_per_second,elapsed_seconds";

    private RunOutputs() {
    }

    public static void writeMetrics(Path out, List<EpochRecord> history) {
        StringBuilder sb = new StringBuilder(METRICS_HEADER).append('\n');
        for (EpochRecord r : history) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%.1f,%.3f%n", r.epoch(), r.step(),
                    num(r.trainLoss()), num(r.valLoss()), num(r.valMetric()), num(r.learningRate()),
                    r.samplesPerSecond(), r.elapsedSeconds()));
        }
        AtomicFiles.writeString(out.resolve("metrics.csv"), sb.toString());
    }

    /** The epochs already recorded in OUT/metrics.csv (for a resumed run), or an empty list. */
    public static List<EpochRecord> readMetrics(Path out) throws IOException {
        Path f = out.resolve("metrics.csv");
        List<EpochRecord> rows = new ArrayList<>();
        if (!Files.exists(f)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(f);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] c = line.split(",", -1);
            if (c.length < 8) {
                continue;
            }
            rows.add(new EpochRecord(Integer.parseInt(c[0]), Long.parseLong(c[1]), parse(c[2]), parse(c[3]),
                    parse(c[4]), parse(c[5]), parse(c[6]), parse(c[7]), ""));
        }
        return rows;
    }

    private static double parse(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /** summary.json from an ordered map of plain values (numbers, strings, lists). */
    public static void writeSummary(Path out, Map<String, Object> summary) {
        String json = ConfigValueFactory.fromMap(summary)
                .render(ConfigRenderOptions.concise().setJson(true).setFormatted(true));
        AtomicFiles.writeString(out.resolve("summary.json"), json + "\n");
    }

    /** An empty cell for "not measured" (NaN), else the shortest exact decimal. */
    static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
