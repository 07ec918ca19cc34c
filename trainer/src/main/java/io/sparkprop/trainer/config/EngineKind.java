// train.engine: which engine runs the training steps.
package io.sparkprop.trainer.config;

import java.util.Locale;

/** {@link #id()} is the config spelling, also written to summary.json and the first progress line. */
public enum EngineKind {
    /** In-process: threads over row blocks of one JVM. */
    LOCAL,
    /** Spark: partitions of cached row blocks, on local[N] or a cluster. */
    SPARK;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
