// data.format: how the data files are read; auto picks csv, libsvm or idx per file (DataLoader.detectFormat).
package io.sparkprop.trainer.data;

import java.util.Locale;

/** {@link #id()} is the config spelling, also the name {@link Loaded#format()} reports. */
public enum DataFormat {
    AUTO,
    LIBSVM,
    CSV,
    IDX,
    /** Read on the executors through Spark SQL, never by {@link DataLoader}: needs train.engine = spark. */
    PARQUET;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
