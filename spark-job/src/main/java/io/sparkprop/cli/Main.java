// The `sparkprop` command line: train, evaluate, predict, export, gradcheck, trace, sweep.
// Exit 0 ok, 2 user error, 1 internal.
package io.sparkprop.cli;

import java.io.PrintStream;

import io.sparkprop.trainer.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * User errors ({@link UserError}, and a run that does not fit the heap or a path the file system refuses) print
 * one line on stderr and exit 2; anything else is an internal error, exit 1, with the stack trace only under
 * --verbose. Logs go to stderr so stdout stays machine-readable.
 */
@Command(name = "sparkprop", mixinStandardHelpOptions = true, version = "sparkprop 0.1.0",
        description = "Data-parallel neural-network training on Apache Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ExportCommand.class,
            GradcheckCommand.class, TraceCommand.class, SweepCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static final int USER_ERROR = 2;
    public static final int INTERNAL_ERROR = 1;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("sparkprop: " + ex.getMessage());
            return USER_ERROR;
        });
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        CliLogging.configure(verbose);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, verbose, err));
        return cl.execute(args);
    }

    static int report(Throwable ex, boolean verbose, PrintStream err) {
        UserError user = findUserError(ex);
        if (verbose) {
            ex.printStackTrace(err);
        }
        if (user != null) {
            err.println("sparkprop: " + user.getMessage());
            return USER_ERROR;
        }
        String resource = resourceLimit(ex);
        if (resource != null) {
            err.println("sparkprop: " + resource);
            return USER_ERROR;
        }
        err.println("sparkprop: internal error: " + ex + (verbose ? "" : " (run with --verbose for details)"));
        return INTERNAL_ERROR;
    }

    /**
     * What the user asked for did not fit the machine: the heap ran out, or the file system refused a path. Both
     * are fixed by the user (a larger -Xmx or a smaller model, batch or data; another path), not by a code change.
     */
    static String resourceLimit(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return String.format("out of memory (%s; max heap %.1f GB): give the JVM more heap"
                        + " (SPARKPROP_JAVA_OPTS=-Xmx16g, spark.driver.memory) or shrink model.hidden,"
                        + " train.batch-size or the data", t.getMessage(), Runtime.getRuntime().maxMemory() / 1e9);
            }
            if (t instanceof java.nio.file.AccessDeniedException a) {
                return a.getFile() + ": permission denied";
            }
        }
        return null;
    }

    /** A user error may arrive wrapped, e.g. by Spark when an executor rejects a data row. */
    static UserError findUserError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof UserError u) {
                return u;
            }
        }
        return null;
    }
}
