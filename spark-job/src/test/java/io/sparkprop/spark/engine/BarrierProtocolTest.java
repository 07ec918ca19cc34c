// spark.protocol = barrier against the driver protocol and the in-process trainer: same bits, same failures.
package io.sparkprop.spark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.spark.barrier.BarrierProtocol;
import io.sparkprop.spark.barrier.RecordingOptimizer;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.optim.Optimizer;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.ScheduleKind;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.CheckpointStore;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.EpochRecord;
import io.sparkprop.trainer.train.TrainState;
import io.sparkprop.trainer.train.Trainer;

class BarrierProtocolTest {
    static JavaSparkContext sc;

    /** Adam with warmup, cosine decay, L2 and clipping: the whole updater runs in the barrier epochs too. */
    static Updater updater() {
        return updater(adam());
    }

    static Optimizer adam() {
        return OptimizerKind.ADAM.create(StepRunner.NET.paramCount(), StepRunner.NET.layout(), 0.9, 1e-4);
    }

    static Updater updater(Optimizer optimizer) {
        long steps = StepRunner.PLAN.stepsPerEpoch();
        return new Updater(optimizer, Schedule.of(new ScheduleSpec(ScheduleKind.COSINE, 0.02, 1, 0.5, 1, 0.001), steps,
                3 * steps), StepRunner.NET.layout(), 1e-4, 5.0);
    }

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[2]", "sparkprop-barrier-test", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    static SparkEngine spark(int partitions, String protocol, int[] failFirstAttempt) {
        return spark(partitions, protocol, failFirstAttempt, false);
    }

    static SparkEngine spark(int partitions, String protocol, int[] failFirstAttempt, boolean validation) {
        return spark(partitions, protocol, failFirstAttempt, validation, false);
    }

    static SparkEngine spark(int partitions, String protocol, int[] failFirstAttempt, boolean validation,
                             boolean float32) {
        // As compute.precision = float32 prepares them: float features, so the tasks compute in float.
        var data = float32 ? StepRunner.DATA.toFloat32() : StepRunner.DATA;
        return StepRunner.spark(sc, StepRunner.settings(partitions, protocol, float32, "test")
                .failingFirstAttemptAt(failFirstAttempt), StepRunner.NET, data, validation ? data : null, data);
    }

    /** Runs `body` and counts the barrier jobs it started. */
    static int barrierJobs(Runnable body) throws Exception {
        AtomicInteger jobs = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                String d = start.properties().getProperty("spark.job.description", "");
                if (d.contains("(barrier")) jobs.incrementAndGet();
            }
        };
        sc.sc().addSparkListener(listener);
        try {
            body.run();
        } finally {
            sc.sc().listenerBus().waitUntilEmpty();
            sc.sc().removeSparkListener(listener);
        }
        return jobs.get();
    }

    /** Three epochs through the Trainer; returns the final θ and records each epoch's mean loss. */
    static double[] train(Engine e, List<Double> epochLoss) {
        return train(e, epochLoss, updater());
    }

    /** The same with {@code updater}. */
    static double[] train(Engine e, List<Double> epochLoss, Updater updater) {
        double[] params = new double[StepRunner.NET.paramCount()];
        Init.XAVIER.fill(StepRunner.NET.layout(), params, 3);
        TrainState state = new TrainState("h", params, new double[0]);
        new Trainer(StepRunner.NET, e, updater, CheckpointStore.NONE, 0, 0)
                .run(state, 3, (EpochRecord r) -> epochLoss.add(r.trainLoss()));
        return state.params;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void barrierEpochsEqualDriverStepsBitForBit(int partitions) {
        List<Double> driverLoss = new ArrayList<>();
        List<Double> barrierLoss = new ArrayList<>();
        List<Double> localLoss = new ArrayList<>();
        double[] driver;
        double[] barrier;
        try (SparkEngine e = spark(partitions, "driver", null)) {
            driver = train(e, driverLoss);
        }
        try (SparkEngine e = spark(partitions, "barrier", null)) {
            assertEquals("barrier", e.protocol());
            barrier = train(e, barrierLoss);
        }
        double[] local = train(StepRunner.local(), localLoss);
        assertArrayEquals(driver, barrier);
        assertEquals(driverLoss, barrierLoss);
        for (int i = 0; i < local.length; i++) {
            assertEquals(local[i], barrier[i], 1e-9 * Math.max(1, Math.abs(local[i])), "param " + i);
        }
        for (int i = 0; i < localLoss.size(); i++) {
            assertEquals(localLoss.get(i), barrierLoss.get(i), 1e-9 * localLoss.get(i), "epoch " + (i + 1));
        }
    }

    @Test
    void oneJobServesTheWholeRunWithOrWithoutAValidationSplit() throws Exception {
        double[][] out = new double[3][];
        try (SparkEngine e = spark(2, "driver", null, true)) {
            out[0] = train(e, new ArrayList<>());
        }
        int spanning = barrierJobs(() -> {
            try (SparkEngine e = spark(2, "barrier", null, false)) {
                out[1] = train(e, new ArrayList<>());
                assertEquals(false, e.summary().get("validation_in_barrier_job"), "no validation split");
            }
        });
        int validating = barrierJobs(() -> {
            try (SparkEngine e = spark(2, "barrier", null, true)) {
                out[2] = train(e, new ArrayList<>());
                assertEquals(true, e.summary().get("validation_in_barrier_job"));
            }
        });
        assertEquals(1, spanning, "no validation split: one barrier job for all 3 epochs");
        assertEquals(1, validating, "validated inside the job: still one barrier job");
        assertArrayEquals(out[0], out[1]);
        assertArrayEquals(out[0], out[2]);
    }

    /**
     * Under local[N] every tree link between tasks is made in memory; spark.sparkprop.memoryLinks = false keeps
     * sockets. The bits are the same either way.
     */
    @Test
    void memoryLinksAndSocketsBetweenTasksGiveTheSameWeights() {
        double[][] out = new double[2][];
        long before = BarrierProtocol.memoryLinksMade();
        try (SparkEngine e = spark(2, "barrier", null)) {
            out[0] = train(e, new ArrayList<>());
        }
        long made = BarrierProtocol.memoryLinksMade() - before;
        assertEquals(1, made, "2 tasks in one JVM, one barrier job: the tree's one link in memory");
        // SparkContext.conf is what getConf copies; the protocol reads the key at each job's start.
        sc.sc().conf().set(BarrierProtocol.MEMORY_LINKS, "false");
        try (SparkEngine e = spark(2, "barrier", null)) {
            out[1] = train(e, new ArrayList<>());
        } finally {
            sc.sc().conf().remove(BarrierProtocol.MEMORY_LINKS);
        }
        assertEquals(before + made, BarrierProtocol.memoryLinksMade(), "memoryLinks = false: sockets only");
        assertArrayEquals(out[0], out[1]);
    }

    /** Per-epoch validation loss and metric as the training loop saw them, with early stopping on. */
    static List<Double> validationCurve(SparkEngine e, int patience) {
        double[] params = new double[StepRunner.NET.paramCount()];
        Init.XAVIER.fill(StepRunner.NET.layout(), params, 3);
        List<Double> curve = new ArrayList<>();
        new Trainer(StepRunner.NET, e, updater(), CheckpointStore.NONE, 0, patience)
                .run(new TrainState("h", params, new double[0]), 3, r -> {
                    curve.add(r.valLoss());
                    curve.add(r.valMetric());
                });
        return curve;
    }

    /** float32: θ and the gradient travel as floats; the validation statistics still arrive whole. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void validationComputedInsideTheBarrierJobEqualsTheDriverSideEvaluation(boolean float32) throws Exception {
        List<Double> driver;
        List<Double> barrier = new ArrayList<>();
        try (SparkEngine e = spark(2, "driver", null, true, float32)) {
            driver = validationCurve(e, 2);
        }
        int jobs = barrierJobs(() -> {
            try (SparkEngine e = spark(2, "barrier", null, true, float32)) {
                barrier.addAll(validationCurve(e, 2));
            }
        });
        assertEquals(6, driver.size());
        assertEquals(driver, barrier, "bit for bit, early stopping included");
        assertEquals(1, jobs);
    }

    // Wide enough (|θ| ≈ 67k) that the arrays, not Spark's per-task framing, make up the bytes.
    static final io.sparkprop.trainer.nn.Network WIDE = new io.sparkprop.trainer.nn.Network(new int[] {2, 256, 256, 3},
            io.sparkprop.trainer.nn.Activation.TANH, io.sparkprop.trainer.nn.Loss.SOFTMAX_CROSS_ENTROPY, 0.0);

    /** Two epochs of the wide network; returns {θ, driver bytes per step}. */
    static double[][] wide(String protocol, boolean float32) throws Exception {
        try (SparkEngine e = StepRunner.spark(sc, StepRunner.settings(2, protocol, float32, "test"), WIDE,
                StepRunner.DATA, null, null)) {
            double[] params = new double[WIDE.paramCount()];
            Init.XAVIER.fill(WIDE.layout(), params, 3);
            Updater u = new Updater(OptimizerKind.ADAM.create(params.length, WIDE.layout(), 0.9, 0),
                    Schedule.of(ScheduleSpec.constant(0.01), StepRunner.PLAN.stepsPerEpoch(), 100), WIDE.layout(),
                    0, 0);
            for (int epoch = 0; epoch < 2; epoch++) {
                e.trainEpoch(params, u, epoch, (long) epoch * StepRunner.PLAN.stepsPerEpoch());
            }
            e.release();
            sc.sc().listenerBus().waitUntilEmpty();
            return new double[][] {params, {((Number) e.summary().get("driver_bytes_per_step")).doubleValue()}};
        }
    }

    @Test
    void float32HalvesTheDriversBytesPerStepAndBothProtocolsStillAgreeBitForBit() throws Exception {
        double[][] w32 = new double[2][];
        String[] protocols = {"barrier", "driver"};
        for (int k = 0; k < 2; k++) {
            double bytes64 = wide(protocols[k], false)[1][0];
            double[][] f32 = wide(protocols[k], true);
            w32[k] = f32[0];
            double ratio = f32[1][0] / bytes64;
            assertTrue(ratio > 0.45 && ratio < 0.55, protocols[k] + ": " + f32[1][0] + " vs " + bytes64);
        }
        assertArrayEquals(w32[0], w32[1], "float32 on the wire: barrier and driver protocols agree");
    }

    @Test
    void aFailedTaskReRunsTheEpochToTheSameWeights() throws Exception {
        double[] clean;
        try (SparkEngine e = spark(2, "barrier", null)) {
            clean = train(e, new ArrayList<>());
        }
        AtomicInteger failed = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().failed()) failed.incrementAndGet();
            }
        };
        sc.sc().addSparkListener(listener);
        double[] retried;
        try (SparkEngine e = spark(2, "barrier", new int[] {1, 3, 1})) {
            retried = train(e, new ArrayList<>());
        } finally {
            sc.sc().listenerBus().waitUntilEmpty();
            sc.sc().removeSparkListener(listener);
        }
        assertTrue(failed.get() >= 1, "the injected failure happened");
        assertArrayEquals(clean, retried);
    }

    /**
     * The training loop's thread alone steps θ and reads or writes the optimizer's state, also when an epoch is
     * re-run after a failed task and with validation inside the job; the weights still equal the driver protocol's.
     */
    @Test
    void thetaAndTheOptimizerAreSteppedOnlyOnTheThreadThatTrains() {
        double[] driver;
        try (SparkEngine e = spark(2, "driver", null, true)) {
            driver = train(e, new ArrayList<>());
        }
        RecordingOptimizer adam = new RecordingOptimizer(adam());
        double[] barrier;
        try (SparkEngine e = spark(2, "barrier", new int[] {1, 3, 1}, true)) {
            barrier = train(e, new ArrayList<>(), updater(adam));
            assertEquals(2, e.summary().get("barrier_attempts"), "the injected failure re-ran the job");
            assertEquals(true, e.summary().get("validation_in_barrier_job"));
        }
        assertEquals(Set.of(Thread.currentThread()), adam.threads());
        int steps = StepRunner.PLAN.stepsPerEpoch();
        assertEquals(3 * steps + 3, adam.steps(), "3 epochs, and epoch 2's first 3 steps again after the failure");
        assertArrayEquals(driver, barrier);
    }

    @Test
    void aNonFiniteLossStopsAtItsStepWithTheLastGoodWeights() {
        double[] params = new double[StepRunner.NET.paramCount()];
        Init.XAVIER.fill(StepRunner.NET.layout(), params, 3);
        params[0] = Double.NaN;
        double before = params[1];
        try (SparkEngine e = spark(2, "barrier", null)) {
            Trainer t = new Trainer(StepRunner.NET, e, updater(), CheckpointStore.NONE, 0, 0);
            UserError err = assertThrows(UserError.class,
                    () -> t.run(new TrainState("h", params, new double[0]), 3, rec -> { }));
            assertTrue(err.getMessage().contains("epoch 1 step 1: loss is NaN"), err.getMessage());
        }
        assertEquals(before, params[1], "no update after the divergence");
    }

    @Test
    void autoPicksBarrierOnlyWhenEveryPartitionHasASlot() {
        try (SparkEngine two = spark(2, "auto", null); SparkEngine three = spark(3, "auto", null)) {
            assertEquals("barrier", two.protocol());
            assertEquals("driver", three.protocol());
        }
    }

    @Test
    void barrierWithMorePartitionsThanSlotsIsOneClearError() {
        UserError err = assertThrows(UserError.class, () -> spark(3, "barrier", null));
        assertEquals("spark.protocol = barrier runs a task per partition at once: 3 partitions but local[2] has 2 task"
                + " slots (lower spark.partitions or set spark.protocol = driver or auto)", err.getMessage());
    }
}
