// The label column of a text file as it is read: class names mapped to indices, or numbers for regression.
package io.sparkprop.trainer.data;

import java.util.List;

/** Shared by the CSV and LIBSVM readers, which differ only in how a line yields its features and label. */
final class Targets {
    private final boolean classification;
    private final ClassLabels labels;
    private final Growable.Doubles values = new Growable.Doubles();

    Targets(boolean classification, List<String> knownClasses) {
        this.classification = classification;
        this.labels = new ClassLabels(knownClasses);
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
        return classification
                ? new Dataset(rows, features, 1, x, labels.y(), labels.names())
                : new Dataset(rows, features, 1, x, values.toArray(), null);
    }
}
