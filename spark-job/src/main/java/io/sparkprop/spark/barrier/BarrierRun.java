// One run of barrier epochs on the driver: the job (on a thread of its own) and its retries.
package io.sparkprop.spark.barrier;

import java.util.function.IntFunction;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.exec.TrainRows;
import io.sparkprop.trainer.UserError;

/**
 * The barrier job runs while the training loop trades θ for the tree's sums through the {@link StepExchange}; a
 * job that spans epochs keeps its tasks (and their slots) between them. Spark does not re-run a failed barrier
 * result stage (it might have committed output), so this re-submits the job itself, as Spark would a failed
 * stage: up to spark.stage.maxConsecutiveAttempts failures in a row (default 4) in one epoch, each attempt
 * starting again from the first step of the epoch in progress (and the training loop with it). When it gives up,
 * the training loop rethrows the failure.
 */
final class BarrierRun {
    private static final Logger LOG = LogManager.getLogger(BarrierRun.class);

    final StepExchange exchange;
    private final Thread thread;

    /**
     * @param tasks the task function of each attempt (numbered from 0)
     */
    BarrierRun(JavaSparkContext sc, JavaRDD<TrainRows[]> blocks, StepExchange exchange, IntFunction<BarrierTask> tasks,
               String description) {
        this.exchange = exchange;
        int maxFailures = sc.getConf().getInt("spark.stage.maxConsecutiveAttempts", 4);
        // A child thread inherits the caller's Spark local properties (job group, scheduler pool).
        thread = new Thread(() -> {
            sc.setJobDescription(description);
            // Tasks of a failed attempt that still wait on their socket are interrupted, not left holding slots.
            sc.setLocalProperty("spark.job.interruptOnCancel", "true");
            try {
                runAttempts(sc, blocks, tasks, maxFailures);
            } catch (Throwable unexpected) {
                exchange.jobFailed(unexpected);
            } finally {
                // Whatever happened, the training loop must not wait for an epoch that will not come.
                exchange.end();
            }
        }, "sparkprop-barrier-job");
        thread.setDaemon(true);
    }

    private void runAttempts(JavaSparkContext sc, JavaRDD<TrainRows[]> blocks, IntFunction<BarrierTask> tasks,
                             int maxFailures) {
        int failures = 0;
        int lastFailedEpoch = -1;
        for (int attempt = 0; ; attempt++) {
            try {
                blocks.rdd().barrier()
                        .mapPartitions(tasks.apply(attempt), false,
                                scala.reflect.ClassTag$.MODULE$.apply(double[].class))
                        .toJavaRDD().collect();
                return;
            } catch (Throwable e) { // SparkException, thrown undeclared from Scala
                // Releases this attempt's connections: tasks still waiting for θ hang up and end.
                exchange.fail(attempt);
                if (exchange.ended()) {
                    return;
                }
                int at = exchange.epoch();
                failures = at == lastFailedEpoch ? failures + 1 : 1;
                lastFailedEpoch = at;
                String why = String.valueOf(e.getMessage());
                UserError user = userError(why);
                if (user != null) {
                    exchange.jobFailed(user);
                    return;
                }
                if (!(e instanceof SparkException) || failures >= maxFailures || sc.sc().isStopped()
                        || why.contains("cancelled")) {
                    exchange.jobFailed(e);
                    return;
                }
                LOG.warn("epoch {}: barrier attempt {} failed ({}); running the epoch again", at + 1, attempt + 1,
                        why.lines().findFirst().orElse(""));
            }
        }
    }

    /**
     * Bad input fails the same way every time: no retry, and the user sees its one line. Spark reports a failed
     * barrier stage without the task's exception as cause, only its text.
     */
    private static UserError userError(String why) {
        String tag = UserError.class.getName() + ": ";
        int at = why.indexOf(tag);
        if (at < 0) {
            return null;
        }
        return new UserError(why.substring(at + tag.length()).lines().findFirst().orElse("").strip());
    }

    BarrierRun start() {
        thread.start();
        return this;
    }

    /** Tells the tasks to stop and waits for the job to end. */
    void stop() {
        exchange.end();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
