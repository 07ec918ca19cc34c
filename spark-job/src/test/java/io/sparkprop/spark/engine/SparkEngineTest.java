// The Spark engine in local[2] against the in-process trainer: same losses, same evaluation, fault-free retries.
package io.sparkprop.spark.engine;

import io.sparkprop.spark.infra.SparkContexts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.CheckpointStore;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.TrainState;
import io.sparkprop.trainer.train.Trainer;

class SparkEngineTest {
    // local[2,2]: two threads, and a failed task is retried once (the fault-injection test needs that).
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[2,2]", "sparkprop-test", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    static SparkEngine spark(int partitions, int[] failFirstAttempt) {
        return StepRunner.spark(sc, StepRunner.settings(partitions, "driver", false, "test")
                .failingFirstAttemptAt(failFirstAttempt), StepRunner.NET, StepRunner.DATA, null, StepRunner.DATA);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void matchesTheInProcessTrainerStepByStep(int partitions) {
        StepRunner local = new StepRunner().run(StepRunner.local(), 2);
        StepRunner distributed;
        try (SparkEngine e = spark(partitions, null)) {
            distributed = new StepRunner().run(e, 2);
        }
        assertEquals(local.losses.size(), distributed.losses.size());
        for (int i = 0; i < local.losses.size(); i++) {
            double a = local.losses.get(i);
            double b = distributed.losses.get(i);
            assertTrue(Math.abs(a - b) <= 1e-9 * Math.abs(a), "step " + i + ": local " + a + " spark " + b);
        }
        for (int i = 0; i < local.params.length; i++) {
            assertEquals(local.params[i], distributed.params[i], 1e-9 * Math.max(1, Math.abs(local.params[i])));
        }
    }

    @Test
    void evaluationMatchesTheInProcessEngine() {
        StepRunner r = new StepRunner().run(StepRunner.local(), 1);
        double[] local = StepRunner.local().evaluate(r.params, Engine.Split.TEST);
        double[] distributed;
        try (SparkEngine e = spark(3, null)) {
            distributed = e.evaluate(r.params, Engine.Split.TEST);
        }
        assertEquals(local[0], distributed[0]); // rows
        assertEquals(local[2], distributed[2]); // correct
        assertEquals(local[1], distributed[1], 1e-9 * local[1]); // loss sum
    }

    @Test
    void aTaskFailingOnItsFirstAttemptChangesNoWeight() throws Exception {
        double[] clean;
        double[] retried;
        try (SparkEngine e = spark(4, null)) {
            clean = new StepRunner().run(e, 1).params;
        }
        AtomicInteger failed = new AtomicInteger();
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().failed()) failed.incrementAndGet();
            }
        });
        try (SparkEngine e = spark(4, new int[] {0, 2, 1})) {
            retried = new StepRunner().run(e, 1).params;
        }
        sc.sc().listenerBus().waitUntilEmpty();
        assertEquals(1, failed.get(), "the injected failure happened once and was retried");
        assertArrayEquals(clean, retried);
    }

    @Test
    void aNonFiniteLossStopsTrainingNamingEpochAndStep() {
        StepRunner r = new StepRunner();
        r.params[0] = Double.NaN;
        Updater updater = new Updater(OptimizerKind.SGD.create(r.params.length, StepRunner.NET.layout(), 0, 0),
                Schedule.of(ScheduleSpec.constant(0.1), StepRunner.PLAN.stepsPerEpoch(), 10),
                StepRunner.NET.layout(), 0, 0);
        double before = r.params[1];
        try (SparkEngine e = spark(2, null)) {
            Trainer t = new Trainer(StepRunner.NET, e, updater, CheckpointStore.NONE, 1, 0);
            UserError err = assertThrows(UserError.class,
                    () -> t.run(new TrainState("h", r.params, new double[0]), 3, rec -> { }));
            assertTrue(err.getMessage().contains("epoch 1 step 1"), err.getMessage());
        }
        assertEquals(before, r.params[1], "no update after the divergence");
    }

    @Test
    void float32BlocksTakeHalfTheMemoryAndMatchTheInProcessEngine() {
        var f32 = StepRunner.DATA.toFloat32();
        double[] params = new StepRunner().params;
        double[] local = new double[params.length];
        double[] spark = new double[params.length];
        double lossLocal;
        double lossSpark;
        try (var le = new io.sparkprop.trainer.train.LocalEngine(StepRunner.NET, f32, null, null, StepRunner.PLAN,
                () -> io.sparkprop.trainer.kernel.Backend.OJALGO.gemm(), 1)) {
            lossLocal = le.lossAndGradient(params, 0, 1, local);
        }
        long bytes64;
        long bytes32;
        try (SparkEngine e = spark(2, null)) {
            bytes64 = cachedBytes("sparkprop test train blocks");
        }
        try (SparkEngine e = StepRunner.spark(sc, StepRunner.settings(2, "driver", false, "test"), StepRunner.NET,
                f32, null, null)) {
            bytes32 = cachedBytes("sparkprop test train blocks");
            lossSpark = e.lossAndGradient(params, 0, 1, spark);
        }
        assertEquals(lossLocal, lossSpark, 1e-12 * lossLocal);
        assertArrayEquals(local, spark, 1e-12);
        // x shrinks to half; y and the row ids stay as they are.
        assertTrue(bytes32 < 0.8 * bytes64, bytes32 + " vs " + bytes64);
    }

    static long cachedBytes(String name) {
        long n = 0;
        for (var info : sc.sc().getRDDStorageInfo()) {
            if (name.equals(info.name())) n += info.memSize();
        }
        return n;
    }

    @Test
    void zeroPartitionsMeansTheDefaultParallelism() {
        try (SparkEngine e = spark(0, null)) {
            assertEquals(sc.defaultParallelism(), e.partitions());
        }
    }
}
