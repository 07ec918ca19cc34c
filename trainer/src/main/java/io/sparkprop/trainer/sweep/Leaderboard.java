// A sweep's results: trials ranked by the metric, written as leaderboard.csv, best.conf, best-model/ and a table.
package io.sparkprop.trainer.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;

import io.sparkprop.trainer.config.ConfigText;
import io.sparkprop.trainer.io.AtomicFiles;

/**
 * Finished trials rank first, then pruned ones (by the metric where they stopped), then the rest; within a
 * group the better metric first, ties to the earlier trial. Only a finished trial can be the best.
 */
public final class Leaderboard {
    /** One ranked trial. */
    public record Row(int rank, Trial trial, TrialRecord record) {
    }

    private final SweepSpec spec;
    private final List<Row> rows;

    public Leaderboard(SweepSpec spec, List<Trial> trials, Map<String, TrialRecord> records) {
        this.spec = spec;
        Metric m = spec.metric;
        Comparator<Trial> order = Comparator.<Trial>comparingInt(t -> group(records.get(t.id()).status()))
                .thenComparing((a, b) -> {
                    double x = records.get(a.id()).metric();
                    double y = records.get(b.id()).metric();
                    return m.better(x, y) ? -1 : m.better(y, x) ? 1 : 0;
                })
                .thenComparingInt(Trial::index);
        List<Trial> sorted = trials.stream().sorted(order).toList();
        List<Row> r = new ArrayList<>();
        for (Trial t : sorted) r.add(new Row(r.size() + 1, t, records.get(t.id())));
        this.rows = List.copyOf(r);
    }

    private static int group(TrialRecord.Status s) {
        return switch (s) {
            case FINISHED -> 0;
            case PRUNED -> 1;
            case PAUSED, INTERRUPTED -> 2;
            case FAILED -> 3;
            case PENDING -> 4;
        };
    }

    public List<Row> rows() {
        return rows;
    }

    /** The best finished trial, or null when none finished. */
    public Row best() {
        return !rows.isEmpty() && rows.get(0).record().status() == TrialRecord.Status.FINISHED ? rows.get(0) : null;
    }

    /** OUT/leaderboard.csv, OUT/best.conf and OUT/best-model/ (a copy of the best trial's model). */
    public void write(Path out) throws IOException {
        StringBuilder sb = new StringBuilder("rank,trial,status");
        for (Param p : spec.parameters) sb.append(',').append(csv(p.path));
        sb.append(',').append(spec.metric.name()).append(",best_epoch,epochs,seconds\n");
        for (Row r : rows) {
            TrialRecord rec = r.record();
            sb.append(r.rank()).append(',').append(r.trial().id()).append(',').append(status(rec));
            for (Param p : spec.parameters) {
                ConfigValue v = r.trial().values().get(p.path);
                sb.append(',').append(csv(v.render(ConfigRenderOptions.concise())));
            }
            sb.append(',').append(Double.isNaN(rec.metric()) ? "" : Double.toString(rec.metric()))
                    .append(',').append(rec.bestEpoch()).append(',').append(rec.epochs())
                    .append(',').append(String.format(Locale.ROOT, "%.3f", rec.seconds())).append('\n');
        }
        AtomicFiles.writeString(out.resolve("leaderboard.csv"), sb.toString());
        Row best = best();
        if (best == null) {
            return;
        }
        String header = String.format(Locale.ROOT, "# Best trial %s of sweep %s: %s = %s at epoch %d.%n"
                + "# Train it again with: scripts/sparkprop train --config best.conf%n", best.trial().id(),
                spec.name.isEmpty() ? out.getFileName() : spec.name, spec.metric.name(), best.record().metric(),
                best.record().bestEpoch());
        AtomicFiles.writeString(out.resolve("best.conf"), header + ConfigText.render(best.trial().config()));
        Path model = out.resolve("trials").resolve(best.trial().id()).resolve("model");
        if (Files.isDirectory(model)) {
            Path tmp = AtomicFiles.tempSibling(out.resolve("best-model"));
            try (Stream<Path> files = Files.list(model)) {
                for (Path f : files.toList()) Files.copy(f, tmp.resolve(f.getFileName()));
            }
            AtomicFiles.replaceDirectory(tmp, out.resolve("best-model"));
        }
    }

    /** The console table: at most {@code limit} rows, the rest summarised. */
    public void print(PrintStream ps, int limit) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"rank", "trial", "status", "parameters", spec.metric.name(), "epoch", "epochs", "sec"});
        for (Row r : rows.subList(0, Math.min(limit, rows.size()))) {
            TrialRecord rec = r.record();
            cells.add(new String[] {Integer.toString(r.rank()), r.trial().id(), status(rec), r.trial().describe(),
                Double.isNaN(rec.metric()) ? "-" : String.format(Locale.ROOT, "%.4f", rec.metric()),
                Integer.toString(rec.bestEpoch()), Integer.toString(rec.epochs()),
                String.format(Locale.ROOT, "%.1f", rec.seconds())});
        }
        int[] w = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) w[i] = Math.max(w[i], row[i].length());
        }
        for (String[] row : cells) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i == 0 || i >= 4;
                String f = "%" + (numeric ? "" : "-") + w[i] + "s";
                sb.append(i == 0 ? "" : "  ").append(String.format(f, row[i]));
            }
            ps.println(sb.toString().stripTrailing());
        }
        if (rows.size() > limit) {
            ps.println("... " + (rows.size() - limit) + " more in leaderboard.csv");
        }
    }

    private static String status(TrialRecord r) {
        return r.status().name().toLowerCase(Locale.ROOT);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
