// Starting Spark the way our commands need it: a master URL checked first, quiet logs, loopback for local[N].
package io.sparkprop.spark.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;

import io.sparkprop.trainer.UserError;

/**
 * --master wins; else what spark-submit set (spark.master); else local[*] for development. A URL Spark could not
 * use is refused before Spark starts ({@link #checkMaster}).
 */
public final class SparkContexts {
    /** Spark's own forms: local, local[N], local[*], local[N,F] (F attempts per task), local-cluster[N,C,M]. */
    private static final Pattern LOCAL = Pattern.compile("local|local\\[(?:\\*|(\\d+))(?:\\s*,\\s*(\\d+))?]"
            + "|local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");
    /** How long a spark:// master may take to accept a connection before the run is refused. */
    private static final int CONNECT_MILLIS = 10_000;

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
            // A chunk that does not fit in memory goes to disk by design (train.shuffle = chunks): one warning per
            // chunk read would drown the progress lines.
            Configurator.setLevel("org.apache.spark.storage.memory.MemoryStore", Level.ERROR);
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
        String url = conf.get("spark.master");
        checkMaster(url);
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (Exception e) { // Scala declares nothing; Spark throws a SparkException for a bad master URL
            if (e instanceof org.apache.spark.SparkException
                    && String.valueOf(e.getMessage()).startsWith("Could not parse Master URL")) {
                throw notAMaster(url, e);
            }
            throw e;
        }
        // Something answered at the spark:// address but never registered the application (Spark retries for a
        // minute, then stops the context from another thread): the standalone master names every application it
        // registers app-…; without it Spark falls back to spark-application-<time>.
        if (url.startsWith("spark://") && (sc.sc().isStopped()
                || sc.sc().applicationId().startsWith("spark-application-"))) {
            sc.stop();
            throw new UserError("--master " + url + ": the application was not registered (no Spark master at that"
                    + " address, or it refused the application: see the master's log)");
        }
        sc.setLogLevel(verbose ? "INFO" : "WARN");
        return sc;
    }

    /**
     * Refuses a master URL Spark could not use, before Spark starts: a malformed local[N], a spark:// master that
     * nothing answers at (Spark would retry for a minute and then fail on a stopped context), or a cluster manager
     * (yarn, k8s://) that is not on the classpath.
     */
    static void checkMaster(String url) {
        Matcher local = LOCAL.matcher(url);
        if (local.matches()) {
            for (int g = 1; g <= local.groupCount(); g++) {
                if (local.group(g) != null && local.group(g).matches("0+")) {
                    throw new UserError("--master " + url + ": needs at least one thread and one attempt per task"
                            + " (local[N] or local[N,F] with N, F >= 1, or local[*])");
                }
            }
        } else if (url.startsWith("local")) {
            throw notAMaster(url, null);
        } else if (url.startsWith("spark://")) {
            checkReachable(url);
        } else if (!hasClusterManager(url)) {
            if (url.equals("yarn") || url.startsWith("k8s://")) {
                throw new UserError("--master " + url + ": this classpath has no " + (url.equals("yarn") ? "YARN"
                        : "Kubernetes") + " support (scripts/sparkprop runs Spark inside its own JVM); submit with"
                        + " scripts/submit.sh --master " + url + " from a Spark installation (SPARK_HOME)");
            }
            throw notAMaster(url, null);
        }
    }

    private static UserError notAMaster(String url, Throwable cause) {
        return new UserError("--master " + url + ": not a Spark master URL (local[N], local[*], spark://host:port;"
                + " yarn or k8s://https://host:port through scripts/submit.sh)", cause);
    }

    /** At least one of the masters listed (spark://a:7077,b:7077 for standby masters) accepts a connection. */
    private static void checkReachable(String url) {
        String why = null;
        for (String hostPort : url.substring("spark://".length()).split(",")) {
            java.net.URI u;
            try {
                u = java.net.URI.create("spark://" + hostPort.strip());
            } catch (IllegalArgumentException e) {
                throw notAMaster(url, e);
            }
            if (u.getHost() == null || u.getPort() < 0) {
                throw notAMaster(url, null);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), u.getPort()), CONNECT_MILLIS);
                return;
            } catch (IOException e) {
                why = u.getHost() + ":" + u.getPort() + " (" + e.getMessage() + ")";
            }
        }
        throw new UserError("--master " + url + ": no Spark master answers at " + why + "; start one"
                + " (sbin/start-master.sh, scripts/local-cluster.sh) or correct the URL");
    }

    /** What Spark itself asks before it builds a scheduler for a URL that is not local or spark://. */
    private static boolean hasClusterManager(String url) {
        for (ExternalClusterManager m : ServiceLoader.load(ExternalClusterManager.class,
                Thread.currentThread().getContextClassLoader())) {
            if (m.canCreate(url)) {
                return true;
            }
        }
        return false;
    }
}
