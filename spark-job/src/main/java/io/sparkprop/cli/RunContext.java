// A train run's Spark context: started on first use, joined when this JVM already runs one, stopped only if ours.
package io.sparkprop.cli;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import io.sparkprop.spark.infra.SparkContexts;

/**
 * The context starts when the first Spark engine or Spark read needs it, after every cheaper input check, so a
 * typo costs seconds, not a Spark start-up. A context already running in this JVM (an application's own, with
 * its session) is joined and left running at the end.
 */
final class RunContext implements AutoCloseable {
    private final String master;
    private final String appName;
    private final boolean verbose;
    private JavaSparkContext sc;
    /** False when the run joined a context that was already running. */
    private boolean owned;

    RunContext(String master, String appName, boolean verbose) {
        this.master = master;
        this.appName = appName;
        this.verbose = verbose;
    }

    /** The context, started or joined now if this is its first use. */
    JavaSparkContext get() {
        if (sc == null) {
            scala.Option<SparkSession> active = SparkSession.getDefaultSession();
            owned = active.isEmpty();
            sc = owned ? SparkContexts.start(master, appName, verbose)
                    : JavaSparkContext.fromSparkContext(active.get().sparkContext());
        }
        return sc;
    }

    /** Whether the run has used Spark so far. */
    boolean started() {
        return sc != null;
    }

    @Override
    public void close() {
        if (sc != null && owned) {
            sc.stop();
        }
        sc = null;
    }
}
