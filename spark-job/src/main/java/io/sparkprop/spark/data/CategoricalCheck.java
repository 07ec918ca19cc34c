// The categorical columns of data read on the executors: resolved on the driver from the CSV header or the
// DataFrame's feature columns, and every block's codes checked by one small job before scaling.
package io.sparkprop.spark.data;

import java.util.List;

import org.apache.spark.api.java.JavaRDD;

import io.sparkprop.spark.exec.Block;
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

    /** Every code in the blocks is a whole number in [0, cardinality], else one line naming source, row, column. */
    static void check(JavaRDD<Block> blocks, Categorical cats, String source) {
        if (blocks == null || cats.isEmpty()) {
            return;
        }
        List<String> bad = blocks.map(b -> {
            for (int r = 0; r < b.rows(); r++) {
                for (int j = 0; j < cats.count(); j++) {
                    double v = b.x[r * b.features + cats.slots()[j]];
                    if (cats.row(j, v) < 0) {
                        return "data row " + (b.globalId[r] + 1) + ": " + cats.badCode(j, v);
                    }
                }
            }
            return "";
        }).filter(s -> !s.isEmpty()).take(1);
        if (!bad.isEmpty()) {
            throw new UserError(source + ": " + bad.get(0));
        }
    }
}
