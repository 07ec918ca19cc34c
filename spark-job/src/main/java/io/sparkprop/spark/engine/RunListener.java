// Counts, from Spark's own events, what a run's summary reports about the cluster: failures and result bytes.
package io.sparkprop.spark.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Only jobs marked with the run's id ({@link #RUN}) are counted. The result stage of a job is its highest-numbered stage (Spark
 * creates the parents first); the sizes of its task results are what the driver received for a step. Events
 * arrive on Spark's listener thread, a little after the fact.
 */
final class RunListener extends SparkListener {
    /** The local property that marks a run's jobs (a job group would override a sweep's own). */
    static final String RUN = "sparkprop.run";

    private final String group;
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    private final Set<Integer> resultStages = ConcurrentHashMap.newKeySet();
    private final AtomicLong resultBytes = new AtomicLong();
    private final AtomicLong failedTasks = new AtomicLong();
    private final AtomicLong executorsLost = new AtomicLong();

    RunListener(String group) {
        this.group = group;
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        if (job.properties() != null && group.equals(job.properties().getProperty(RUN))) {
            int last = -1;
            var it = job.stageIds().iterator();
            while (it.hasNext()) {
                int id = (Integer) it.next();
                stages.add(id);
                last = Math.max(last, id);
            }
            resultStages.add(last);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        if (!stages.contains(task.stageId())) {
            return;
        }
        if (task.reason() != Success$.MODULE$) {
            failedTasks.incrementAndGet();
        } else if (resultStages.contains(task.stageId()) && task.taskMetrics() != null) {
            resultBytes.addAndGet(task.taskMetrics().resultSize());
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        executorsLost.incrementAndGet();
    }

    long resultBytes() {
        return resultBytes.get();
    }

    long failedTasks() {
        return failedTasks.get();
    }

    long executorsLost() {
        return executorsLost.get();
    }
}
