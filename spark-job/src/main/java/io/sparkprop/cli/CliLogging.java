// Where the command line's log goes: Spark's and Hadoop's warnings on stderr, one line each; stdout stays ours.
package io.sparkprop.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Without a configuration of its own, log4j2 prints on stdout, and Spark keeps that default once anything has set
 * a level. So unless the user chose a configuration (-Dlog4j2.configurationFile, as scripts/submit.sh passes),
 * the CLI installs one: stderr, following System.setErr. Without --verbose: warnings and errors, the first line of
 * each, and nothing from a failing task or a context that did not start (Executor, TaskSetManager, the block
 * manager's "Putting block failed", "Error initializing SparkContext"): when such a failure ends the run,
 * sparkprop reports its cause in one line, and --verbose shows Spark's own report. With --verbose: INFO and full
 * stack traces.
 */
final class CliLogging {
    private static final String NAME = "sparkprop-cli";
    /**
     * Lines that only repeat what the CLI says itself (a task's failure, a spark:// master that never registered
     * the application), that do not apply to a run on local[N], or that a context stopping right after a failed
     * job may print (an RPC timer scheduled on the pool just shut down).
     */
    private static final String QUIET = "(Error initializing SparkContext|Your hostname, .* resolves to a loopback"
            + " address|Set SPARK_LOCAL_IP if you need|Putting block .* failed due to exception|Block .* could not be"
            + " removed as it was not found|Ignored failure: java.util.concurrent.RejectedExecutionException"
            + "|Application ID is not initialized yet|Application has been killed. Reason: All masters are"
            + " unresponsive|Drop UnregisterApplication|Still have \\d+ requests outstanding).*";

    private CliLogging() {
    }

    static void configure(boolean verbose) {
        if (System.getProperty("log4j2.configurationFile") != null
                || System.getProperty("log4j.configurationFile") != null) {
            return;
        }
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration current = context.getConfiguration();
        String source = String.valueOf(current.getConfigurationSource().getLocation());
        boolean builtIn = current instanceof DefaultConfiguration || NAME.equals(current.getName())
                || source.endsWith("org/apache/spark/log4j2-defaults.properties");
        if (builtIn) {
            Configurator.reconfigure(build(verbose));
        }
    }

    private static Configuration build(boolean verbose) {
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName(NAME);
        b.setStatusLevel(Level.ERROR);
        String message = verbose ? "%m%n%ex" : "%replace{%m}{(?s)[\\r\\n].*}{}%n";
        b.add(b.newAppender("stderr", "Console")
                .addAttribute("target", ConsoleAppender.Target.SYSTEM_ERR)
                .addAttribute("follow", true)
                .add(b.newLayout("PatternLayout")
                        .addAttribute("pattern", "%d{yy/MM/dd HH:mm:ss} %p %c{1}: " + message)
                        .addAttribute("alwaysWriteExceptions", verbose)));
        var root = b.newRootLogger(verbose ? Level.INFO : Level.WARN).add(b.newAppenderRef("stderr"));
        if (!verbose) {
            root.add(b.newFilter("RegexFilter", Filter.Result.DENY, Filter.Result.NEUTRAL)
                    .addAttribute("regex", QUIET));
            b.add(b.newLogger("org.apache.spark.executor.Executor", Level.OFF));
            b.add(b.newLogger("org.apache.spark.scheduler.TaskSetManager", Level.OFF));
            b.add(b.newLogger("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR));
        }
        b.add(root);
        return b.build();
    }
}
