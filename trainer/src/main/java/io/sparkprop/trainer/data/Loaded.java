// The result of DataLoader.load: the table plus what the reader learned or dropped on the way.
package io.sparkprop.trainer.data;

import java.util.List;

/**
 * @param data         the rows read
 * @param format       the format actually used: csv, libsvm, idx or builtin (useful when the spec said auto)
 * @param skippedRows  malformed rows dropped under onBadRow = skip (0 otherwise)
 * @param skippedLines line numbers of the first ≤ 10 dropped rows
 * @param header       the CSV header (every column, label included) to save with a model, or null
 */
public record Loaded(Dataset data, String format, long skippedRows, List<Long> skippedLines, List<String> header) {

    public Loaded {
        skippedLines = List.copyOf(skippedLines);
        header = header == null ? null : List.copyOf(header);
    }

    /** e.g. "210 rows × 7 features, 3 classes" or "500 rows × 13 features, regression". */
    public String describe() {
        String kind = data.isClassification() ? data.numClasses() + " classes" : "regression";
        return data.rows + " rows × " + data.features + " features, " + kind;
    }
}
