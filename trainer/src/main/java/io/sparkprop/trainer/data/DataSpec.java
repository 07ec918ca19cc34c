// What data to load and how to read it: the reader-independent description DataLoader.load takes.
package io.sparkprop.trainer.data;

import java.util.List;

/**
 * @param path           a file path, a {@code file:} URI, or {@code builtin:name[?key=value&...]}
 * @param format         auto, csv, libsvm or idx (null = auto; parquet is refused, Spark reads it)
 * @param labelColumn    CSV label column: name or 0-based index (negative from the end); null or "" = last
 * @param numFeatures    expected feature count; 0 = infer (for libsvm it also sets the width)
 * @param classification true: labels are class names; false: labels are real-valued regression targets
 * @param knownClasses   a saved model's classes in index order (evaluation), or null to discover them
 * @param onBadRow       fail (null = fail) or skip a malformed text row
 * @param seed           for generated builtin datasets
 * @param labelsPath     IDX labels file, or null to derive it from the images file name
 * @param expectedHeader a saved model's CSV header (all columns), checked when the file has one; or null
 * @param weightColumn   CSV column holding each row's weight (data.weight-column): name or index; null or "" = none
 */
public record DataSpec(String path, DataFormat format, String labelColumn, int numFeatures, boolean classification,
                       List<String> knownClasses, OnBadRow onBadRow, long seed, String labelsPath,
                       List<String> expectedHeader, String weightColumn) {

    public DataSpec {
        weightColumn = weightColumn == null ? "" : weightColumn.strip();
        format = format == null ? DataFormat.AUTO : format;
        onBadRow = onBadRow == null ? OnBadRow.FAIL : onBadRow;
        knownClasses = knownClasses == null ? null : List.copyOf(knownClasses);
        expectedHeader = expectedHeader == null ? null : List.copyOf(expectedHeader);
    }

    /** The common form, without an IDX labels path or an expected header. */
    public DataSpec(String path, DataFormat format, String labelColumn, int numFeatures, boolean classification,
                    List<String> knownClasses, OnBadRow onBadRow, long seed) {
        this(path, format, labelColumn, numFeatures, classification, knownClasses, onBadRow, seed, null, null, "");
    }

    /** Classification of {@code path}, format auto, last column as label, failing on bad rows, seed 0. */
    public static DataSpec of(String path) {
        return new DataSpec(path, DataFormat.AUTO, null, 0, true, null, OnBadRow.FAIL, 0L);
    }

    public DataSpec withFormat(DataFormat f) {
        return new DataSpec(path, f, labelColumn, numFeatures, classification, knownClasses, onBadRow, seed,
                labelsPath, expectedHeader, weightColumn);
    }

    public DataSpec withLabelColumn(String c) {
        return new DataSpec(path, format, c, numFeatures, classification, knownClasses, onBadRow, seed, labelsPath,
                expectedHeader, weightColumn);
    }

    public DataSpec withNumFeatures(int n) {
        return new DataSpec(path, format, labelColumn, n, classification, knownClasses, onBadRow, seed, labelsPath,
                expectedHeader, weightColumn);
    }

    public DataSpec withClassification(boolean c) {
        return new DataSpec(path, format, labelColumn, numFeatures, c, knownClasses, onBadRow, seed, labelsPath,
                expectedHeader, weightColumn);
    }

    public DataSpec withKnownClasses(List<String> k) {
        return new DataSpec(path, format, labelColumn, numFeatures, classification, k, onBadRow, seed, labelsPath,
                expectedHeader, weightColumn);
    }

    public DataSpec withOnBadRow(OnBadRow b) {
        return new DataSpec(path, format, labelColumn, numFeatures, classification, knownClasses, b, seed, labelsPath,
                expectedHeader, weightColumn);
    }

    public DataSpec withSeed(long s) {
        return new DataSpec(path, format, labelColumn, numFeatures, classification, knownClasses, onBadRow, s,
                labelsPath, expectedHeader, weightColumn);
    }

    public DataSpec withLabelsPath(String p) {
        return new DataSpec(path, format, labelColumn, numFeatures, classification, knownClasses, onBadRow, seed, p,
                expectedHeader, weightColumn);
    }

    public DataSpec withWeightColumn(String c) {
        return new DataSpec(path, format, labelColumn, numFeatures, classification, knownClasses, onBadRow, seed,
                labelsPath, expectedHeader, c);
    }

    public DataSpec withExpectedHeader(List<String> h) {
        return new DataSpec(path, format, labelColumn, numFeatures, classification, knownClasses, onBadRow, seed,
                labelsPath, h, weightColumn);
    }
}
