// spark.protocol: how a Spark run synchronises its steps; auto resolves to one of the other two per run.
package io.sparkprop.trainer.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@link #id()} is the config spelling, also written to summary.json (see reference.conf for what each does). */
public enum StepProtocol {
    /** barrier wherever every partition gets a task slot and dynamic allocation is off, else driver. */
    AUTO,
    /**
     * one Spark job per step; the partial gradients are summed in the canonical order (by the executors at
     * spark.tree-depth &gt; 1, the default; by the driver at 1), and the driver steps the optimizer.
     */
    DRIVER,
    /** one barrier job for the run; the tasks sum up a tree and only the root talks to the driver. */
    BARRIER;

    /** The config spellings, in declaration order. */
    public static final List<String> IDS = Arrays.stream(values()).map(StepProtocol::id).toList();

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The protocol spelled {@code id} (as the config spells it); IllegalArgumentException if none is. */
    public static StepProtocol of(String id) {
        for (StepProtocol p : values()) {
            if (p.id().equals(id)) return p;
        }
        throw new IllegalArgumentException("unknown spark.protocol " + id + " (one of " + IDS + ")");
    }

    @Override
    public String toString() {
        return id();
    }
}
