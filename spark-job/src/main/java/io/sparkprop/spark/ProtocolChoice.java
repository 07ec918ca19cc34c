// spark.protocol resolved: barrier wherever every partition gets a task slot and executors stay put, else driver.
package io.sparkprop.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.StepProtocol;

/**
 * A barrier job needs a free task slot for each of its tasks at once and does not work with dynamic allocation
 * (SPARK-24942). Slots are what Spark itself checks before launching a barrier stage: registered executor cores
 * ÷ spark.task.cpus ({@code SparkContext.maxNumConcurrentTasks}). On a cluster the executors register after the
 * application starts, so the count is awaited — until the slots suffice, or no executor joined for
 * {@link #SETTLE_MS}, or spark.scheduler.maxRegisteredResourcesWaitingTime (30 s) is up.
 *
 * @param barrier true: the barrier protocol
 * @param reason  the why, for the first progress line and summary.json, e.g. "16 partitions but 8 task slots"
 */
public record ProtocolChoice(boolean barrier, String reason) {
    /** How long the executor count must stay unchanged before the wait for more gives up. */
    static final long SETTLE_MS = 3000;

    /** The protocol resolved to: {@link StepProtocol#BARRIER} or {@link StepProtocol#DRIVER}. */
    public StepProtocol protocol() {
        return barrier ? StepProtocol.BARRIER : StepProtocol.DRIVER;
    }

    /** Resolves spark.protocol for {@code partitions} partitions; refuses a barrier protocol that cannot run. */
    public static ProtocolChoice resolve(JavaSparkContext sc, StepProtocol protocol, int partitions) {
        if (protocol == StepProtocol.DRIVER) {
            return new ProtocolChoice(false, "spark.protocol = driver");
        }
        boolean auto = protocol == StepProtocol.AUTO;
        if (sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            if (auto) {
                return new ProtocolChoice(false, "dynamic allocation is on");
            }
            throw new UserError("spark.protocol = barrier needs spark.dynamicAllocation.enabled = false (a barrier"
                    + " job keeps one task per partition running; set spark.protocol = driver or auto)");
        }
        int slots = awaitSlots(sc.sc(), partitions);
        if (partitions <= slots) {
            return new ProtocolChoice(true, partitions + " partitions in " + slots + " task slots");
        }
        if (auto) {
            return new ProtocolChoice(false, partitions + " partitions but " + slots + " task slots");
        }
        throw new UserError("spark.protocol = barrier runs a task per partition at once: " + partitions
                + " partitions but " + sc.master() + " has " + slots + " task slots (lower spark.partitions or set"
                + " spark.protocol = driver or auto)");
    }

    private static int awaitSlots(SparkContext sc, int wanted) {
        long limit = sc.getConf().getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s");
        long start = System.currentTimeMillis();
        int slots = slots(sc);
        long changed = start;
        while (slots < wanted && !sc.isLocal()) {
            long now = System.currentTimeMillis();
            if (now - start >= limit || (slots > 0 && now - changed >= SETTLE_MS)) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            int s = slots(sc);
            if (s != slots) {
                slots = s;
                changed = System.currentTimeMillis();
            }
        }
        return slots;
    }

    /** The task slots of the executors registered now (Spark's own count for barrier stages). */
    static int slots(SparkContext sc) {
        return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    }
}
