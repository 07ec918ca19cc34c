// data.categorical-columns against a file's columns: the feature slot of each (targets and the weight column
// skipped), each unresolvable column one line naming its key, and the code check naming file, row and column.
package io.sparkprop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.UserError;

class CategoricalSlotsTest {
    static final List<String> HEADER = List.of("x1", "label", "color", "w", "size");

    static String error(List<String> columns, List<String> header) {
        return assertThrows(UserError.class, () -> CategoricalSlots.resolve(columns, header, 3, "label", "w",
                "f.csv")).getMessage();
    }

    @Test
    void slotsSkipTheLabelAndWeightColumns() {
        assertArrayEquals(new int[]{1, 2}, CategoricalSlots.resolve(List.of("color", "size"), HEADER, 3, "label",
                "w", "f.csv"));
        assertArrayEquals(new int[]{2, 1}, CategoricalSlots.resolve(List.of("4", "COLOR"), HEADER, 3, "label", "w",
                "f.csv"));
        // no header: indices into the file's columns (label last by default)
        assertArrayEquals(new int[]{1}, CategoricalSlots.resolve(List.of("1"), null, 3, "", "", "f.csv"));
    }

    @Test
    void anUnresolvableColumnNamesItsKey() {
        assertEquals("f.csv: data.categorical-columns[1].column: no column named \"colour\"; the header has"
                + " " + ClassLabels.listed(HEADER), error(List.of("color", "colour"), HEADER));
        assertEquals("f.csv: data.categorical-columns[0].column: \"label\" is a label column",
                error(List.of("label"), HEADER));
        assertEquals("f.csv: data.categorical-columns[0].column: \"w\" is data.weight-column",
                error(List.of("w"), HEADER));
        assertEquals("f.csv: data.categorical-columns[0].column: no column 9 (the file has 5 columns)",
                error(List.of("9"), HEADER));
        assertEquals("f.csv: data.categorical-columns[1].column: \"2\" is the same column as"
                + " data.categorical-columns[0]", error(List.of("color", "2"), HEADER));
        assertEquals("f.csv: data.categorical-columns[0].column: \"color\" is a column name, but the file has no"
                + " header line", assertThrows(UserError.class, () -> CategoricalSlots.resolve(List.of("color"), null,
                3, "", "", "f.csv")).getMessage());
        assertEquals("f.libsvm: data.categorical-columns[0].column: \"color\" is not a feature index in [0, 4);"
                + " only CSV and Parquet columns have names", assertThrows(UserError.class,
                () -> CategoricalSlots.featureIndices(List.of("color"), 4, "f.libsvm")).getMessage());
    }

    @Test
    void everyCodeIsAWholeNumberUpToTheCardinality() {
        Dataset d = new Dataset(3, 2, 1, new double[]{0.5, 0, 0.5, 3, 0.5, 2}, new double[3], null);
        CategoricalSlots.check(d, new int[]{1}, new int[]{3}, List.of("color"), "f.csv"); // 3: the unseen row
        assertEquals("f.csv: data row 2: categorical column color: value 3.0 is not a category code (expected a"
                + " whole number in [0, 2]; 2 is the unseen-category row)", assertThrows(UserError.class,
                () -> CategoricalSlots.check(d, new int[]{1}, new int[]{2}, List.of("color"), "f.csv"))
                .getMessage());
    }
}
