// The categorical columns of data read on the executors: resolved on the driver from the CSV header or the
// DataFrame's feature columns, and every parsed chunk's codes checked by one small job before placement and scaling.
package io.sparkprop.spark.data;

import java.util.List;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.CategoricalColumns;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.CategoricalSlots;
import io.sparkprop.trainer.nn.Categorical;

/** The in-process reader's rules ({@link CategoricalSlots}); a row is named by its 1-based place in the file. */
final class CategoricalCheck {
    private CategoricalCheck() {
    }

    /** data.categorical-columns against a CSV file's header (null: indices only) or LIBSVM's feature indices. */
    static Categorical forText(TrainConfig cfg, List<String> header, boolean csv, int width) {
        List<CategoricalColumns.Column> cols = cfg.categoricalColumns();
        if (cols.isEmpty()) {
            return Categorical.NONE;
        }
        List<String> names = cols.stream().map(CategoricalColumns.Column::column).toList();
        int[] slots = csv ? CategoricalSlots.resolve(names, header, width, cfg.labelColumn(), cfg.weightColumn(),
                cfg.dataTrain()) : CategoricalSlots.featureIndices(names, width, cfg.dataTrain());
        return new Categorical(slots, cols.stream().mapToInt(CategoricalColumns.Column::cardinality).toArray(), names);
    }

    /**
     * data.categorical-columns against a DataFrame's feature columns: a name is one of the numeric feature
     * columns; with one vector column, an index is a slot of the vector.
     */
    static Categorical forFrame(TrainConfig cfg, List<String> features, int width) {
        List<CategoricalColumns.Column> cols = cfg.categoricalColumns();
        if (cols.isEmpty()) {
            return Categorical.NONE;
        }
        int[] slots = new int[cols.size()];
        for (int j = 0; j < slots.length; j++) {
            String c = cols.get(j).column();
            int at = features.size() == width ? features.indexOf(c) : -1;
            if (at < 0 && c.matches("\\d{1,9}") && Integer.parseInt(c) < width) {
                at = Integer.parseInt(c);
            }
            if (at < 0) {
                throw new UserError("data.categorical-columns[" + j + "].column: \"" + c + "\" is not one of the"
                        + " feature columns " + features + (features.size() == width ? ""
                        : " nor a slot in [0, " + width + ") of the vector"));
            }
            slots[j] = at;
        }
        return new Categorical(slots, cols.stream().mapToInt(CategoricalColumns.Column::cardinality).toArray(),
                cols.stream().map(CategoricalColumns.Column::column).toList());
    }

    /**
     * Every code in the parsed chunks is a whole number in [0, cardinality], else one line naming the source, the
     * data row (counted over the whole source, before any split or placement: the lowest bad row) and the column.
     */
    static void check(Chunks chunks, Categorical cats, String source) {
        if (chunks == null || cats.isEmpty()) {
            return;
        }
        List<Chunks.Chunk.Meta> meta = chunks.meta();
        long[] firstRow = new long[meta.size()];
        for (int c = 1; c < firstRow.length; c++) firstRow[c] = firstRow[c - 1] + meta.get(c - 1).rows();
        // per chunk its first bad code as {row in the source, column j, value}
        List<double[]> bad = chunks.rdd().map(ch -> {
            for (int r = 0; r < ch.rows; r++) {
                for (int j = 0; j < cats.count(); j++) {
                    int f = cats.slots()[j];
                    double v = f < ch.features ? ch.x[r * ch.features + f] : 0; // LIBSVM: an omitted feature is 0
                    if (cats.row(j, v) < 0) {
                        return new double[]{firstRow[ch.index] + r, j, v};
                    }
                }
            }
            return new double[0];
        }).filter(b -> b.length > 0).collect();
        bad.stream().min((u, v) -> Double.compare(u[0], v[0])).ifPresent(b -> {
            throw new UserError(source + ": data row " + ((long) b[0] + 1) + ": " + cats.badCode((int) b[1], b[2]));
        });
    }
}
