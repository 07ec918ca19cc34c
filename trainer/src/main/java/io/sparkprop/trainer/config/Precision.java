// compute.precision: float64, or float32 features and forward/backward (θ and the optimizer state stay float64).
package io.sparkprop.trainer.config;

import java.util.Locale;

/** {@link #id()} is the config spelling, also written to summary.json. */
public enum Precision {
    FLOAT64,
    /**
     * Features kept as floats (half the memory), products by sgemm, activations and a partition's partial
     * gradient in float. In process the threads' partials are added in float64; on Spark θ reaches the tasks as
     * floats and the summed gradient reaches the optimizer rounded to float (both protocols alike).
     */
    FLOAT32;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
