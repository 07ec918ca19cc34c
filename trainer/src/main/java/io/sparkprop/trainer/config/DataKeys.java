// The data.* keys of a run (and train.class-weights, which weighs the same rows), read and checked as one group.
// TrainConfig holds one and answers for it; the checks here need no key outside the group.
package io.sparkprop.trainer.config;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.data.OnBadRow;
import io.sparkprop.trainer.data.Scaling;
import java.util.List;

/**
 * @param train              data.train, trimmed: a path or builtin:NAME, never empty
 * @param test               data.test, trimmed; empty = no test set
 * @param labelColumns       data.label-column as written: one entry (possibly "" = the last column), or several
 * @param validationFraction data.validation-fraction, in [0, 1)
 * @param numFeatures        data.num-features; 0 = infer
 * @param featureColumns     data.feature-columns; no entry is empty
 * @param weightColumn       data.weight-column, trimmed; "" = none, never one of the label columns
 * @param classWeights       train.class-weights
 * @param categoricalColumns data.categorical-columns: columns of integer codes for a first embedding layer
 */
record DataKeys(String train, String test, DataFormat format, List<String> labelColumns, double validationFraction,
                Scaling scale, int numFeatures, OnBadRow onBadRow, List<String> featureColumns, String weightColumn,
                ClassWeights classWeights, List<CategoricalColumns.Column> categoricalColumns) {

    /** Reads the group in key order, so the first bad key is the one named, as it always was. */
    static DataKeys read(ConfigReader r) {
        String train = r.string("data.train").trim();
        if (train.isEmpty()) {
            throw new UserError("data.train: expected a path or builtin:<name>, got ''");
        }
        String test = r.string("data.test").trim();
        DataFormat format = r.choice("data.format", DataFormat.values());
        List<String> labelColumns = r.columnList("data.label-column");
        double validationFraction = r.doubleIn("data.validation-fraction", 0, false, 1, true);
        Scaling scale = r.choice("data.scale", Scaling.values());
        int numFeatures = r.intAtLeast("data.num-features", 0);
        OnBadRow onBadRow = r.choice("data.on-bad-row", OnBadRow.values());
        List<String> featureColumns = r.stringList("data.feature-columns");
        if (featureColumns.contains("")) {
            throw new UserError("data.feature-columns: a column name is empty");
        }
        String weightColumn = r.string("data.weight-column").trim();
        if (!weightColumn.isEmpty() && labelColumns.contains(weightColumn)) {
            throw new UserError("data.weight-column: \"" + weightColumn + "\" is also data.label-column");
        }
        ClassWeights classWeights = ClassWeights.read(r);
        return new DataKeys(train, test, format, labelColumns, validationFraction, scale, numFeatures, onBadRow,
                featureColumns, weightColumn, classWeights, CategoricalColumns.read(r, labelColumns, weightColumn));
    }

    /** data.label-column as one string: "" = the last column, else the entries joined by commas. */
    String labelColumn() {
        return labelColumns.isEmpty() ? "" : String.join(",", labelColumns);
    }
}
