// train.shuffle = chunks on Spark: the chunked engine trains the in-process engine's bits under both protocols,
// and a run whose chunks spill to disk (a tiny storage memory) trains the bits of a run that holds them in memory.
package io.sparkprop.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.typesafe.config.ConfigFactory;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.engine.SparkSettings;
import io.sparkprop.spark.exec.ChunkRef;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.Step;

class ChunkedDataTest {
    static final int FEATURES = 24;
    static final Dataset DATA = blobs(20_000, 7);
    static final Dataset VALIDATION = blobs(600, 8);
    // Dropout on, so the masks are shown to follow the rows' global ids through the chunks.
    static final Network NET = new Network(new int[] {FEATURES, 16, 3}, Activation.TANH,
            Loss.SOFTMAX_CROSS_ENTROPY, 0.1);
    /** Chunks of 1500 rows (not a multiple of the batch, so steps straddle two chunks), 14 in all. */
    static final BatchPlan PLAN = BatchPlan.chunked(DATA.rows, 256, 5, 1500);
    static final int EPOCHS = 2;

    /** Three classes in FEATURES dimensions: the label is the arg-max of a fixed linear map of x, plus noise. */
    static Dataset blobs(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[rows * FEATURES];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double[] score = new double[3];
            for (int j = 0; j < FEATURES; j++) {
                double v = r.nextGaussian();
                x[i * FEATURES + j] = v;
                score[j % 3] += v * (1 + j % 5);
            }
            int best = 0;
            for (int c = 1; c < 3; c++) if (score[c] > score[best]) best = c;
            y[i] = best;
        }
        return new Dataset(rows, FEATURES, 1, x, y, List.of("0", "1", "2"));
    }

    static SparkSettings settings(int partitions, String protocol) {
        return SparkSettings.of(TrainConfig.from(ConfigFactory.parseMap(Map.of("spark.partitions", partitions,
                "spark.protocol", protocol, "spark.storage-level", "MEMORY_AND_DISK", "compute.backend", "ojalgo"))),
                "chunks");
    }

    /** EPOCHS epochs of Adam through {@link Step}, as a run takes them. */
    static double[] train(Step.Sums engine) {
        double[] params = new double[NET.paramCount()];
        Init.XAVIER.fill(NET.layout(), params, 3);
        Updater updater = new Updater(OptimizerKind.ADAM.create(params.length, NET.layout(), 0.9, 0.0),
                Schedule.of(ScheduleSpec.constant(0.01), PLAN.stepsPerEpoch(), 100), NET.layout(), 0.0, 0.0);
        double[] grad = new double[params.length];
        double[] loss = new double[PLAN.stepsPerEpoch()];
        double[] norm = new double[PLAN.stepsPerEpoch()];
        long step = 0;
        for (int e = 0; e < EPOCHS; e++) {
            for (int s = 0; s < PLAN.stepsPerEpoch(); s++) {
                Step.take(engine, updater, PLAN, params, grad, e, s, step++, loss, norm);
            }
        }
        return params;
    }

    /** The weights of a chunked Spark run, and its summary (how the chunks were stored). */
    record Run(double[] params, Map<String, Object> summary) {
    }

    static Run spark(JavaSparkContext sc, int partitions, String protocol) {
        return spark(sc, partitions, protocol, DATA);
    }

    static Run spark(JavaSparkContext sc, int partitions, String protocol, Dataset data) {
        try (SparkEngine e = EngineFactory.resolve(sc, settings(partitions, protocol)).create(NET, data, VALIDATION,
                null, PLAN)) {
            double[] params = new double[NET.paramCount()];
            Init.XAVIER.fill(NET.layout(), params, 3);
            Updater updater = new Updater(OptimizerKind.ADAM.create(params.length, NET.layout(), 0.9, 0.0),
                    Schedule.of(ScheduleSpec.constant(0.01), PLAN.stepsPerEpoch(), 100), NET.layout(), 0.0, 0.0);
            // Through the engine's own epochs (the barrier protocol's one job), as a run trains.
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                e.trainEpoch(params, updater, epoch, (long) epoch * PLAN.stepsPerEpoch());
            }
            assertEquals(protocol, e.protocol());
            return new Run(params, e.summary());
        }
    }

    @Test
    void oneChunkedPartitionTrainsTheInProcessEnginesBitsUnderBothProtocols() {
        double[] local;
        try (LocalEngine le = new LocalEngine(NET, DATA, VALIDATION, null, PLAN, () -> Backend.OJALGO.gemm(), 1)) {
            local = trainEpochs(le);
        }
        JavaSparkContext sc = SparkContexts.start("local[2]", "sparkprop-chunks", false);
        try {
            assertArrayEquals(local, spark(sc, 1, "driver").params(), "driver protocol");
            assertArrayEquals(local, spark(sc, 1, "barrier").params(), "barrier protocol");
        } finally {
            sc.stop();
        }
        // The plan matters: the whole-set shuffle trains other weights.
        try (LocalEngine le = new LocalEngine(NET, DATA, VALIDATION, null, new BatchPlan(DATA.rows, 256, 5),
                () -> Backend.OJALGO.gemm(), 1)) {
            assertFalse(Arrays.equals(local, trainEpochs(le)));
        }
    }

    @Test
    void weightedRowsTrainTheInProcessEnginesBitsThroughChunks() {
        // Row weights in [0.5, 2.5) and class weights: both must travel with the rows into each step's copy.
        SplittableRandom r = new SplittableRandom(11);
        double[] w = new double[DATA.rows];
        for (int i = 0; i < w.length; i++) w[i] = 0.5 + 2 * r.nextDouble();
        Dataset weighted = DATA.withWeights(w).withClassWeights(new double[] {1.0, 3.0, 0.5});
        double[] local;
        try (LocalEngine le = new LocalEngine(NET, weighted, VALIDATION, null, PLAN, () -> Backend.OJALGO.gemm(), 1)) {
            local = trainEpochs(le);
        }
        try (LocalEngine le = new LocalEngine(NET, DATA, VALIDATION, null, PLAN, () -> Backend.OJALGO.gemm(), 1)) {
            assertFalse(Arrays.equals(local, trainEpochs(le)), "the weights change the run");
        }
        JavaSparkContext sc = SparkContexts.start("local[2]", "sparkprop-chunks-weighted", false);
        try {
            assertArrayEquals(local, spark(sc, 1, "driver", weighted).params(), "driver protocol");
            assertArrayEquals(local, spark(sc, 1, "barrier", weighted).params(), "barrier protocol");
        } finally {
            sc.stop();
        }
    }

    /** The local engine's epochs through its own trainEpoch, as a run takes them. */
    static double[] trainEpochs(LocalEngine le) {
        double[] params = new double[NET.paramCount()];
        Init.XAVIER.fill(NET.layout(), params, 3);
        Updater updater = new Updater(OptimizerKind.ADAM.create(params.length, NET.layout(), 0.9, 0.0),
                Schedule.of(ScheduleSpec.constant(0.01), le.plan().stepsPerEpoch(), 100), NET.layout(), 0.0, 0.0);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            le.trainEpoch(params, updater, epoch, (long) epoch * le.plan().stepsPerEpoch());
        }
        return params;
    }

    @Test
    void chunksThatSpillToDiskTrainTheBitsOfChunksHeldInMemory() {
        List<Run> ample = new ArrayList<>();
        JavaSparkContext sc = SparkContexts.start("local[2]", "sparkprop-chunks-ample", false);
        try {
            ample.add(spark(sc, 2, "driver"));
            ample.add(spark(sc, 2, "barrier"));
        } finally {
            sc.stop();
        }
        // About 1 MB of storage memory (200 MB usable × 0.005) for 3.8 MB of features: most chunks go to disk.
        List<Run> tiny = new ArrayList<>();
        sc = SparkContexts.start("local[2]", "sparkprop-chunks-tiny", false, Map.of(
                "spark.testing.memory", Long.toString(500L << 20), "spark.memory.fraction", "0.005"));
        try {
            long storage = TrainChunks.executorStorageBytes(sc);
            assertTrue(storage < 2L << 20, "storage memory " + storage);
            tiny.add(spark(sc, 2, "driver"));
            tiny.add(spark(sc, 2, "barrier"));
        } finally {
            sc.stop();
        }
        for (Run r : ample) {
            assertEquals(0L, r.summary().get("train_chunk_bytes_disk"), "ample memory: nothing on disk");
            assertTrue((Long) r.summary().get("train_chunk_bytes_memory") > 3_000_000L, r.summary().toString());
        }
        for (Run r : tiny) {
            long disk = (Long) r.summary().get("train_chunk_bytes_disk");
            long memory = (Long) r.summary().get("train_chunk_bytes_memory");
            assertTrue(disk > 2 * memory && disk > 2_000_000L, "spilled: " + disk + " on disk, " + memory
                    + " in memory");
        }
        assertArrayEquals(ample.get(0).params(), ample.get(1).params(), "ample: driver = barrier");
        assertArrayEquals(ample.get(0).params(), tiny.get(0).params(), "driver: spilled = in memory");
        assertArrayEquals(ample.get(0).params(), tiny.get(1).params(), "barrier: spilled = in memory");
    }

    @Test
    void aPartitionsChunksAreContiguousRangesOfItsRowsThatCoverThemOnce() {
        for (int p = 0; p < 3; p++) {
            int rows = 1000 / 3 + (p < 1000 % 3 ? 1 : 0);
            ChunkRef ref = new ChunkRef(p, 3, 70, 15, rows, 1, 1, 0);
            assertEquals(0, ref.first(0));
            assertEquals(rows, ref.first(ref.chunks));
            for (int r = 0; r < rows; r++) {
                int c = ref.globalId(r) / 70;
                assertTrue(ref.first(c) <= r && r < ref.first(c + 1), "partition " + p + " row " + r);
            }
        }
    }
}
