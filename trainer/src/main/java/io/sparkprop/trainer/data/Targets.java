// The target columns of a text file as they are read: class names mapped to indices, or numbers.
package io.sparkprop.trainer.data;

import java.util.List;

/**
 * Shared by the CSV and LIBSVM readers, which differ only in how a line yields its features and label. One
 * target per row is a class label or a real value; several are k real values (regression) or k 0/1 labels
 * (multi-label), whose class names are the target columns as named in data.label-column.
 */
final class Targets {
    private final boolean classification;
    private final List<String> columns;
    private final ClassLabels labels;
    private final Growable.Doubles values = new Growable.Doubles();

    Targets(boolean classification, List<String> knownClasses) {
        this(classification, knownClasses, List.of());
    }

    /** @param columns the target columns as written (several = one value per column and row) */
    Targets(boolean classification, List<String> knownClasses, List<String> columns) {
        this.classification = classification;
        this.columns = List.copyOf(columns);
        this.labels = new ClassLabels(columns.size() > 1 ? null : knownClasses);
    }

    /** The next row's target tokens (checked numeric, and 0/1 for several class targets, by the reader). */
    void add(String[] tokens, String file, long line) {
        if (tokens.length == 1) {
            add(tokens[0], file, line);
            return;
        }
        for (String t : tokens) values.add(Numbers.parse(t));
    }

    /** The next row's label token (already checked to be numeric for regression). */
    void add(String label, String file, long line) {
        if (classification) {
            labels.add(label, file, line);
        } else {
            values.add(Numbers.parse(label));
        }
    }

    /** The finished table over x: (features × rows). */
    Dataset dataset(int rows, int features, double[] x) {
        if (columns.size() > 1) {
            return new Dataset(rows, features, columns.size(), x, values.toArray(), classification ? columns : null);
        }
        return classification
                ? new Dataset(rows, features, 1, x, labels.y(), labels.names())
                : new Dataset(rows, features, 1, x, values.toArray(), null);
    }
}
