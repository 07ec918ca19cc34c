// Test support: the Spark ML tests' data files for tests in other packages.
package io.sparkprop.ml;

import java.nio.file.Path;

public final class SparkMlDataAccess {
    private SparkMlDataAccess() {
    }

    /** The wheat-seeds rows as CSV with a header and word labels. */
    public static void writeSeedsCsv(Path file) throws Exception {
        SparkMlData.writeCsv(file, SparkMlData.seeds(), "variety", SparkMlData.VARIETIES);
    }
}
