// compute.precision: how the prepared features are stored; all arithmetic stays float64 either way.
package io.sparkprop.trainer.config;

import java.util.Locale;

/** {@link #id()} is the config spelling, also written to summary.json. */
public enum Precision {
    FLOAT64,
    /** Features kept as floats (half the memory), widened exactly when a batch is gathered. */
    FLOAT32;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
