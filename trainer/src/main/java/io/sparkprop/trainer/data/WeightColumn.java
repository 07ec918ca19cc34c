// data.weight-column in a delimited file: which column holds each row's weight, and the check of each value.
package io.sparkprop.trainer.data;

import java.util.Arrays;

import io.sparkprop.trainer.UserError;

/**
 * One header name or 0-based index (negative counts from the end), as data.weight-column is written; "" = none.
 * The column is neither a feature nor a target. A weight must be a finite number ≥ 0 (0 keeps the row out of the
 * steps and the metrics); anything else fails with file:line naming the column.
 */
final class WeightColumn {
    /** As written; empty = no weight column. */
    final String spec;

    WeightColumn(String weightColumn) {
        this.spec = weightColumn == null ? "" : weightColumn.strip();
    }

    boolean present() {
        return !spec.isEmpty();
    }

    /** A name, which only a header line can hold. */
    boolean named() {
        return present() && !TargetColumns.isIndex(spec);
    }

    /** The column's index in the first line's tokens; it must not be a target column. */
    int resolve(String[] tokens, int[] targetIndex, String name, long line) {
        int n = tokens.length;
        int index = -1;
        if (TargetColumns.isIndex(spec)) {
            int i = Integer.parseInt(spec);
            index = i < 0 ? n + i : i;
            if (index < 0 || index >= n) {
                throw UserError.at(name, line, "data.weight-column " + spec + " is out of range: the line has " + n
                        + " columns (0.." + (n - 1) + ")");
            }
        } else {
            for (int i = 0; i < n && index < 0; i++) {
                if (tokens[i].equals(spec)) index = i;
            }
            for (int i = 0; i < n && index < 0; i++) {
                if (tokens[i].equalsIgnoreCase(spec)) index = i;
            }
            if (index < 0) {
                throw UserError.at(name, line, "data.weight-column: no column named \"" + spec + "\"; the header has "
                        + ClassLabels.listed(Arrays.asList(tokens)));
            }
        }
        for (int t : targetIndex) {
            if (t == index) {
                throw UserError.at(name, line, "data.weight-column \"" + spec + "\" is a label column");
            }
        }
        if (targetIndex.length + 1 >= n) {
            throw UserError.at(name, line, "the label and weight columns leave no feature column: the line has " + n);
        }
        return index;
    }

    /** The weight in {@code token}: finite and ≥ 0, else a UserError at name:line naming the column. */
    static double parse(String token, String column, String name, long line) {
        double v = Numbers.parseOrNaN(token);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw UserError.at(name, line, column + " (weight): " + Numbers.whyNotFinite(token)
                    + "; a weight is a finite number >= 0");
        }
        if (v < 0) {
            throw UserError.at(name, line, column + " (weight): " + token + " is negative; a weight is a finite"
                    + " number >= 0");
        }
        return v;
    }
}
