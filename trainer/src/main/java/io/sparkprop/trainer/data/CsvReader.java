// Reads delimited text (CSV, also ';' or tab separated) into a Dataset: one row per line, one or more target columns.
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The first content line decides the layout: its separator (',' if one stands outside quotes, else ';', else
 * tab), the column count every later line must match, and whether it is a header — a header has a non-numeric
 * token in some feature column (the label column may hold words in data rows, so it does not count). Blank
 * lines and lines starting with '#' are skipped; a UTF-8 byte-order mark is dropped; {@link CsvFields} splits
 * each line (RFC 4180 quoting, fields trimmed). With {@link #weightColumn} set, that column holds each row's
 * weight ({@link WeightColumn}: finite, ≥ 0) and is neither a feature nor a target.
 */
public final class CsvReader {
    private final TargetColumns targetColumns;
    private final boolean classification;
    private final List<String> knownClasses;
    private final List<String> expectedHeader;
    private final SkipLog skips;
    private WeightColumn weights = new WeightColumn(null);
    /** The weight parseRow read from the last row (when there is a weight column). */
    private double rowWeight;
    private List<String> header;
    private Layout layout;

    /**
     * What the first lines of a file decided, so a later chunk of the same file (read by another task) can be
     * parsed the same way: separator, column count, target columns, the weight column (-1: none), and the header
     * (null when there is none).
     */
    public record Layout(char sep, int columns, int[] targetIndex, int weightIndex, List<String> header)
            implements java.io.Serializable {
    }

    /**
     * @param labelColumn    column name or 0-based index (negative counts from the end); null or "" = last;
     *                       several targets joined by commas (k real values for regression, k 0/1 labels else)
     * @param knownClasses   a saved model's classes in index order, or null to discover them
     * @param expectedHeader the training file's header (all columns), checked when this file has one; or null
     */
    public CsvReader(String labelColumn, boolean classification, List<String> knownClasses,
                     List<String> expectedHeader, SkipLog skips) {
        this.targetColumns = new TargetColumns(labelColumn);
        this.classification = classification;
        this.knownClasses = knownClasses;
        this.expectedHeader = expectedHeader;
        this.skips = skips == null ? SkipLog.failing() : skips;
    }

    /** Reads each row's weight from {@code column} (data.weight-column: name or index; null or "" = none). */
    public CsvReader weightColumn(String column) {
        this.weights = new WeightColumn(column);
        return this;
    }

    /** The header of the last file read (every column, label included), or null when it had none. */
    public List<String> header() {
        return header;
    }

    public Dataset read(Path file) {
        String name = file.toString();
        try (BufferedReader in = Inputs.reader(file, name)) {
            return read(name, in);
        } catch (IOException e) {
            throw Inputs.ioError(name, e);
        }
    }

    /** The layout of the last file or chunk read. */
    public Layout layout() {
        return layout;
    }

    /** Reads everything from {@code in}; {@code name} is used in messages as {@code name:line}. */
    public Dataset read(String name, BufferedReader in) {
        return read(name, in, null, 0, false);
    }

    /**
     * Reads one chunk of a larger file, e.g. a Spark input split. {@code known} is the layout of the file's start
     * (null when this chunk is the start), {@code linesBefore} the number of lines before the chunk, so messages
     * name the file's own line numbers. A chunk may hold no rows (the caller checks the file as a whole).
     */
    public Dataset read(String name, BufferedReader in, Layout known, long linesBefore) {
        return read(name, in, known, linesBefore, true);
    }

    private Dataset read(String name, BufferedReader in, Layout known, long linesBefore, boolean mayBeEmpty) {
        header = known == null ? null : known.header();
        layout = known;
        Growable.Doubles x = new Growable.Doubles();
        Growable.Doubles w = new Growable.Doubles();
        Targets targets = new Targets(classification, knownClasses, targetColumns.spec);
        char sep = known == null ? 0 : known.sep();
        int columns = known == null ? -1 : known.columns();
        int[] labelIndex = known == null ? null : known.targetIndex();
        int weightIndex = known == null ? -1 : known.weightIndex();
        double[] row = known == null ? null : new double[columns - labelIndex.length - (weightIndex >= 0 ? 1 : 0)];
        long lineNo = linesBefore;
        int rows = 0;
        try {
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                String text = (lineNo == 1 ? CsvFields.withoutBom(line) : line).strip();
                if (text.isEmpty() || text.charAt(0) == '#') {
                    continue;
                }
                if (columns < 0) {
                    sep = CsvFields.separatorOf(text);
                    String[] tokens = CsvFields.split(text, sep, name, lineNo);
                    columns = tokens.length;
                    labelIndex = targetColumns.resolve(tokens, name, lineNo);
                    if (columns < 2) {
                        throw UserError.at(name, lineNo, "only 1 column; expected feature columns and a label column"
                                + " separated by commas");
                    }
                    weightIndex = weights.present() ? weights.resolve(tokens, labelIndex, name, lineNo) : -1;
                    row = new double[columns - labelIndex.length - (weightIndex >= 0 ? 1 : 0)];
                    // A label or weight column found by name can only have been found in a header.
                    boolean named = targetColumns.named() || weights.named();
                    boolean isHeader = named || isHeader(tokens, labelIndex);
                    if (isHeader) {
                        header = List.of(tokens);
                        checkHeader(name, lineNo);
                    }
                    layout = new Layout(sep, columns, labelIndex, weightIndex, header);
                    if (isHeader) {
                        continue;
                    }
                }
                String[] label;
                try {
                    label = parseRow(text, sep, columns, labelIndex, weightIndex, row, name, lineNo);
                } catch (UserError e) {
                    skips.reject(e, lineNo);
                    continue;
                }
                targets.add(label, name, lineNo);
                x.addAll(row, 0, row.length);
                if (weightIndex >= 0) {
                    w.add(rowWeight);
                }
                rows++;
            }
        } catch (IOException e) {
            throw Inputs.ioError(name, e);
        }
        if (rows == 0 && !mayBeEmpty) {
            throw new UserError(name + ": no data rows" + skips.suffix());
        }
        int features = Math.max(0, columns - targetColumns.count() - (weightIndex >= 0 ? 1 : 0));
        Dataset d = targets.dataset(rows, features, x.toArray());
        return weightIndex >= 0 ? d.withWeights(w.toArray()) : d;
    }

    /**
     * Fills {@code row} with the features and {@link #rowWeight} with the weight (weightIndex ≥ 0), and returns
     * the target tokens; any malformation is a UserError.
     */
    private String[] parseRow(String text, char sep, int columns, int[] labelIndex, int weightIndex, double[] row,
                              String name, long line) {
        String[] tokens = CsvFields.split(text, sep, name, line);
        if (tokens.length != columns) {
            throw UserError.at(name, line, "expected " + columns + " columns, got " + tokens.length);
        }
        int j = 0;
        for (int i = 0; i < columns; i++) {
            if (isTarget(labelIndex, i)) {
                continue;
            }
            if (i == weightIndex) {
                rowWeight = WeightColumn.parse(tokens[i], column(i, columns), name, line);
                continue;
            }
            double v = Numbers.parseOrNaN(tokens[i]);
            if (!Double.isFinite(v)) {
                throw UserError.at(name, line, column(i, columns) + ": " + Numbers.whyNotFinite(tokens[i]));
            }
            row[j++] = v;
        }
        String[] labels = new String[labelIndex.length];
        for (int t = 0; t < labels.length; t++) {
            int c = labelIndex[t];
            String label = tokens[c];
            if (label.isEmpty()) {
                throw UserError.at(name, line, column(c, columns) + " (label): empty label");
            }
            if (!classification && !Double.isFinite(Numbers.parseOrNaN(label))) {
                throw UserError.at(name, line, column(c, columns) + " (label): " + Numbers.whyNotFinite(label)
                        + "; regression needs numeric labels");
            }
            double v = Numbers.parseOrNaN(label);
            if (classification && labels.length > 1 && v != 0.0 && v != 1.0) {
                throw UserError.at(name, line, column(c, columns) + " (label): \"" + label + "\" is not 0 or 1;"
                        + " several class targets are multi-label 0/1 values");
            }
            labels[t] = label;
        }
        return labels;
    }

    private static boolean isTarget(int[] labelIndex, int column) {
        for (int c : labelIndex) {
            if (c == column) {
                return true;
            }
        }
        return false;
    }

    /**
     * The column a feature (0-based, target columns skipped) was read from, as messages name it: column 3 "b"
     * (1-based; the name when the file has a header). {@code features}: how many the file has.
     */
    public static String featureColumn(List<String> header, String labelColumn, int features, int feature) {
        TargetColumns targets = new TargetColumns(labelColumn);
        String[] tokens = header != null ? header.toArray(String[]::new) : new String[features + targets.count()];
        if (header == null) {
            java.util.Arrays.fill(tokens, "");
        }
        try {
            int[] t = targets.resolve(tokens, "", 1);
            for (int i = 0, f = -1; i < tokens.length; i++) {
                if (!isTarget(t, i) && ++f == feature) {
                    return "column " + (i + 1) + (header != null ? " \"" + header.get(i) + "\"" : "");
                }
            }
        } catch (UserError e) { // a label given by name in a file without a header: not a CSV column
        }
        return "feature " + (feature + 1);
    }

    /** "column 3 of 8" (1-based, as people count) plus the header name when there is one. */
    private String column(int i, int columns) {
        String named = header != null ? " \"" + header.get(i) + "\"" : "";
        return "column " + (i + 1) + " of " + columns + named;
    }

    private void checkHeader(String name, long line) {
        if (expectedHeader == null || expectedHeader.equals(header)) {
            return;
        }
        if (expectedHeader.size() != header.size()) {
            throw UserError.at(name, line, "header does not match the training data: expected " + expectedHeader.size()
                    + " columns " + ClassLabels.listed(expectedHeader) + ", got " + header.size());
        }
        for (int i = 0; i < header.size(); i++) {
            if (!header.get(i).equals(expectedHeader.get(i))) {
                throw UserError.at(name, line, "header does not match the training data: column " + (i + 1) + " is \""
                        + header.get(i) + "\" here but \"" + expectedHeader.get(i) + "\" in training");
            }
        }
    }

    /** A header has a non-empty, non-numeric token outside the target columns. */
    private static boolean isHeader(String[] tokens, int[] labelIndex) {
        for (int i = 0; i < tokens.length; i++) {
            if (!isTarget(labelIndex, i) && !tokens[i].isEmpty() && !Numbers.isNumber(tokens[i])) {
                return true;
            }
        }
        return false;
    }
}
