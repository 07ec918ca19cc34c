// spark.protocol resolved: barrier wherever every partition gets a task slot and executors stay put, else driver.
package io.sparkprop.spark.engine;

import java.util.function.IntSupplier;

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
        if (sc.isLocal()) {
            return slots(sc); // a local master's slots are all there from the start
        }
        long limit = sc.getConf().getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s");
        return awaitSlots(() -> slots(sc), wanted, limit, Clock.SYSTEM);
    }

    /** Time as the wait sees it (a test's clock moves only when the wait sleeps). */
    interface Clock {
        long nowMs();

        void sleepMs(long ms) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nowMs() {
                return System.currentTimeMillis();
            }

            @Override
            public void sleepMs(long ms) throws InterruptedException {
                Thread.sleep(ms);
            }
        };
    }

    /**
     * The wait: polls {@code slots} every 100 ms until there are {@code wanted}, or the count has not changed for
     * {@link #SETTLE_MS} while at least one executor is registered, or {@code limitMs} have passed since the
     * start. Returns the last count.
     */
    static int awaitSlots(IntSupplier slots, int wanted, long limitMs, Clock clock) {
        long start = clock.nowMs();
        int have = slots.getAsInt();
        long changed = start;
        while (have < wanted) {
            long now = clock.nowMs();
            if (now - start >= limitMs || (have > 0 && now - changed >= SETTLE_MS)) {
                break;
            }
            try {
                clock.sleepMs(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            int s = slots.getAsInt();
            if (s != have) {
                have = s;
                changed = clock.nowMs();
            }
        }
        return have;
    }

    /** The task slots of the executors registered now (Spark's own count for barrier stages). */
    static int slots(SparkContext sc) {
        return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    }
}
