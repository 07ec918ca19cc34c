// data.categorical-columns in a delimited file: which feature each categorical column became, and the check that
// every value read there is a category code.
package io.sparkprop.trainer.data;

import java.util.Arrays;
import java.util.List;

import io.sparkprop.trainer.UserError;

/**
 * A column is named as data.label-column is: a header name, or a 0-based index into the file's columns (negative
 * counts from the end). Its feature slot is its position among the columns that are neither targets nor the
 * weight column. A code of a column of cardinality k must be a whole number in [0, k]: k is the reserved
 * unseen-category row (StringIndexer's handleInvalid = keep index); anything else is an error naming the file,
 * the data row and the column.
 */
public final class CategoricalSlots {
    private CategoricalSlots() {
    }

    /**
     * The feature slot of each column in {@code columns}.
     *
     * @param header the file's header (every column), or null: then only indices resolve
     * @param features the file's feature count (to size a file without a header)
     */
    public static int[] resolve(List<String> columns, List<String> header, int features, String labelColumn,
                                String weightColumn, String source) {
        TargetColumns targets = new TargetColumns(labelColumn);
        WeightColumn weights = new WeightColumn(weightColumn);
        int n = header != null ? header.size() : features + targets.count() + (weights.present() ? 1 : 0);
        String[] tokens = header != null ? header.toArray(String[]::new) : new String[n];
        if (header == null) {
            Arrays.fill(tokens, "");
        }
        int[] t = targets.resolve(tokens, source, 1);
        int w = weights.present() ? weights.resolve(tokens, t, source, 1) : -1;
        int[] slots = new int[columns.size()];
        for (int j = 0; j < slots.length; j++) {
            String key = "data.categorical-columns[" + j + "].column";
            String c = columns.get(j);
            int index = indexOf(c, tokens, header != null);
            if (index < 0) {
                throw new UserError(source + ": " + key + ": " + (header == null && !TargetColumns.isIndex(c)
                        ? "\"" + c + "\" is a column name, but the file has no header line"
                        : "no column " + (TargetColumns.isIndex(c) ? c + " (the file has " + n + " columns)"
                        : "named \"" + c + "\"; the header has " + ClassLabels.listed(header))));
            }
            for (int x : t) {
                if (x == index) {
                    throw new UserError(source + ": " + key + ": \"" + c + "\" is a label column");
                }
            }
            if (index == w) {
                throw new UserError(source + ": " + key + ": \"" + c + "\" is data.weight-column");
            }
            int slot = 0;
            for (int i = 0; i < index; i++) {
                boolean target = false;
                for (int x : t) target |= x == i;
                if (!target && i != w) slot++;
            }
            for (int u = 0; u < j; u++) {
                if (slots[u] == slot) {
                    throw new UserError(source + ": " + key + ": \"" + c + "\" is the same column as "
                            + "data.categorical-columns[" + u + "]");
                }
            }
            slots[j] = slot;
        }
        return slots;
    }

    /** Formats without column names (LIBSVM, IDX, builtin tables): each column is a 0-based feature index. */
    public static int[] featureIndices(List<String> columns, int features, String source) {
        int[] slots = new int[columns.size()];
        for (int j = 0; j < slots.length; j++) {
            String c = columns.get(j);
            int i = TargetColumns.isIndex(c) ? Integer.parseInt(c) : -1;
            if (i < 0 || i >= features) {
                throw new UserError(source + ": data.categorical-columns[" + j + "].column: \"" + c + "\" is not a"
                        + " feature index in [0, " + features + "); only CSV and Parquet columns have names");
            }
            slots[j] = i;
        }
        return slots;
    }

    private static int indexOf(String c, String[] tokens, boolean hasHeader) {
        int n = tokens.length;
        if (TargetColumns.isIndex(c)) {
            int i = Integer.parseInt(c);
            int index = i < 0 ? n + i : i;
            return index >= 0 && index < n ? index : -1;
        }
        if (!hasHeader) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (tokens[i].equals(c)) return i;
        }
        for (int i = 0; i < n; i++) {
            if (tokens[i].equalsIgnoreCase(c)) return i;
        }
        return -1;
    }

    /**
     * Every row's value in each slot is a whole number in [0, cardinality]; else a one-line error naming
     * {@code source}, the 1-based data row and the column.
     */
    public static void check(Dataset d, int[] slots, int[] cardinalities, List<String> names, String source) {
        for (int j = 0; j < slots.length; j++) {
            for (int r = 0; r < d.rows; r++) {
                double v = d.x != null ? d.x[r * d.features + slots[j]] : d.xf[r * d.features + slots[j]];
                if (!(v >= 0 && v <= cardinalities[j] && v == Math.rint(v))) {
                    throw new UserError(source + ": data row " + (r + 1) + ": categorical column " + names.get(j)
                            + ": value " + v + " is not a category code (expected a whole number in [0, "
                            + cardinalities[j] + "]; " + cardinalities[j] + " is the unseen-category row)");
                }
            }
        }
    }
}
