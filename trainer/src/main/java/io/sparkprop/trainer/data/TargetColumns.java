// Which columns of a delimited file hold the targets: one label column, or several target columns.
package io.sparkprop.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sparkprop.trainer.UserError;

/**
 * Parsed from data.label-column as the readers get it: "" (the last column), one header name or 0-based index
 * (negative counts from the end), or several joined by commas ({@code TrainConfig} joins a list {@code [t1, t2]}
 * that way). {@link #resolve} finds them in the first line of a file.
 */
final class TargetColumns {
    /** As written; empty = the last column. */
    final List<String> spec;

    TargetColumns(String labelColumn) {
        String s = labelColumn == null ? "" : labelColumn.strip();
        List<String> parts = new ArrayList<>();
        if (!s.isEmpty()) {
            for (String p : s.split(",")) parts.add(p.strip());
        }
        this.spec = List.copyOf(parts);
    }

    int count() {
        return Math.max(1, spec.size());
    }

    /** Some column is given by name, which only a header line can hold. */
    boolean named() {
        return spec.stream().anyMatch(c -> !isIndex(c));
    }

    /** Column indices of the targets in the first line's tokens, in the order given. */
    int[] resolve(String[] tokens, String name, long line) {
        int n = tokens.length;
        if (spec.isEmpty()) {
            return new int[] {n - 1};
        }
        int[] out = new int[spec.size()];
        for (int t = 0; t < out.length; t++) {
            out[t] = indexOf(spec.get(t), tokens, name, line);
            for (int u = 0; u < t; u++) {
                if (out[u] == out[t]) {
                    throw UserError.at(name, line, "label columns " + spec.get(u) + " and " + spec.get(t)
                            + " are the same column");
                }
            }
        }
        if (out.length >= n) {
            throw UserError.at(name, line, out.length + " label columns leave no feature column: the line has " + n);
        }
        return out;
    }

    private static int indexOf(String column, String[] tokens, String name, long line) {
        int n = tokens.length;
        if (isIndex(column)) {
            int i = Integer.parseInt(column);
            int index = i < 0 ? n + i : i;
            if (index < 0 || index >= n) {
                throw UserError.at(name, line, "label column " + column + " is out of range: the line has " + n
                        + " columns (0.." + (n - 1) + ")");
            }
            return index;
        }
        for (int i = 0; i < n; i++) {
            if (tokens[i].equals(column)) {
                return i;
            }
        }
        for (int i = 0; i < n; i++) {
            if (tokens[i].equalsIgnoreCase(column)) {
                return i;
            }
        }
        if (hasWord(tokens)) {
            throw UserError.at(name, line, "no column named \"" + column + "\"; the header has "
                    + ClassLabels.listed(Arrays.asList(tokens)));
        }
        throw UserError.at(name, line, "label column \"" + column + "\" is a column name, but the file has no header"
                + " line");
    }

    private static boolean hasWord(String[] tokens) {
        for (String t : tokens) {
            if (!t.isEmpty() && !Numbers.isNumber(t)) {
                return true;
            }
        }
        return false;
    }

    static boolean isIndex(String s) {
        return s.matches("[+-]?\\d{1,9}");
    }
}
