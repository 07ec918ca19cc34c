// Starting Spark the way our commands need it: quiet logs, a loopback driver for local masters, θ-sized results.
package io.sparkprop.spark.infra;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** --master wins; else what spark-submit set (spark.master); else local[*] for development. */
public final class SparkContexts {
    private SparkContexts() {
    }

    public static JavaSparkContext start(String master, String appName, boolean verbose) {
        return start(master, appName, verbose, java.util.Map.of());
    }

    /** As {@link #start(String, String, boolean)}, with extra spark.* settings unless already set. */
    public static JavaSparkContext start(String master, String appName, boolean verbose,
                                         java.util.Map<String, String> settings) {
        if (!verbose) {
            Configurator.setRootLevel(Level.WARN);
            Configurator.setLevel("org.apache.spark", Level.WARN);
            Configurator.setLevel("org.sparkproject", Level.WARN);
        }
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            // Everything runs in this JVM: keep the driver's RPC and block manager on loopback, not on whatever
            // address the host name resolves to.
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        // A gradient is P doubles: return it with the task status instead of through the block manager.
        conf.setIfMissing("spark.task.maxDirectResultSize", "512m");
        // One compute thread per task: a multi-threaded BLAS inside every task would oversubscribe the cores.
        conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
        conf.setIfMissing("spark.ui.enabled", "false");
        // A driver-protocol step broadcasts θ (P doubles, or floats): lz4 barely shrinks trained weights and costs
        // milliseconds per step.
        conf.setIfMissing("spark.broadcast.compress", "false");
        settings.forEach(conf::setIfMissing);
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (Exception e) { // Scala declares nothing; Spark throws a SparkException for a bad master URL
            if (e instanceof org.apache.spark.SparkException
                    && String.valueOf(e.getMessage()).startsWith("Could not parse Master URL")) {
                throw new io.sparkprop.trainer.UserError("--master " + conf.get("spark.master") + ": not a Spark"
                        + " master URL (local[N], spark://host:port, yarn, k8s://https://host:port)", e);
            }
            throw e;
        }
        sc.setLogLevel(verbose ? "INFO" : "WARN");
        return sc;
    }
}
