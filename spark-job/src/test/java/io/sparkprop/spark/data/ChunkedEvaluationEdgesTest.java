// Chunked evaluation's edge cases (train.shuffle = chunks): an empty partition, partitions under one pass, chunk
// boundaries on and inside passes, float32; nothing left cached by a closed engine, or by one that failed to start.
package io.sparkprop.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.ConfigFactory;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sparkprop.spark.barrier.BarrierProtocol;
import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.engine.SparkSettings;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.OjAlgoGemm;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;

/**
 * Each case ships driver-held splits twice, stacked (one block per partition) and in chunks of C rows, and
 * evaluates them under the same θ: the chunked statistics must be the stacked ones bit for bit, and those of an
 * in-process evaluation of the whole split up to the order of the partitions' sums. Rows of a partition per pass:
 * {@link Evaluator#CHUNK} = 512; a partition holds about C / 3 rows of each chunk.
 */
class ChunkedEvaluationEdgesTest {
    static final int PARTITIONS = 3;
    static final Network NET = ChunkedDataTest.NET;

    record Case(String what, int validationRows, int testRows, int chunkRows) {
    }

    static final List<Case> CASES = List.of(
            new Case("2 validation rows (partition 2 has none), chunks of one row", 2, 7, 1),
            new Case("fewer rows per partition than one pass, chunk boundaries inside it", 3 * 100 + 1, 3 * 40,
                    3 * 7),
            new Case("chunk boundaries on pass boundaries: each pass inside one chunk", 3 * 1024, 3 * 512 + 2,
                    3 * 512),
            new Case("each pass made of two whole chunks", 3 * 1100, 3 * 1024, 3 * 256),
            new Case("passes spanning several chunks, chunks starting mid-pass", 3 * 1100 + 2, 3 * 600, 3 * 100 + 1));

    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[3]", "sparkprop-chunked-evaluation-edges", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    static EngineFactory factory(String protocol, boolean float32) {
        Map<String, Object> keys = new HashMap<>(Map.of("spark.partitions", PARTITIONS, "spark.protocol", protocol,
                "spark.storage-level", "MEMORY_AND_DISK", "compute.backend", "ojalgo"));
        if (float32) {
            keys.put("compute.precision", "float32");
        }
        return EngineFactory.resolve(sc, SparkSettings.of(TrainConfig.from(ConfigFactory.parseMap(keys)), "edges"));
    }

    static double[] theta() {
        double[] params = new double[NET.paramCount()];
        Init.XAVIER.fill(NET.layout(), params, 3);
        return params;
    }

    /**
     * validation, test and train statistics of engine e under params; only the training split's chunk reads are
     * counted in chunk_reads.
     */
    static List<double[]> evaluate(SparkEngine e, double[] params) {
        try (e) {
            double[] validation = e.evaluate(params, Engine.Split.VALIDATION);
            double[] test = e.evaluate(params, Engine.Split.TEST);
            assertEquals(0, chunkReads(e), "validation and test reads are not counted");
            double[] train = e.evaluate(params, Engine.Split.TRAIN);
            assertTrue(chunkReads(e) > 0, "the training split's are");
            return List.of(validation, test, train);
        }
    }

    /** summary.json's chunk_reads, summed over where the chunks were found. */
    static long chunkReads(SparkEngine e) {
        Map<?, ?> where = (Map<?, ?>) e.summary().get("chunk_reads");
        return where.values().stream().mapToLong(n -> (Long) n).sum();
    }

    @Test
    void chunkedSplitsGiveTheStackedBitsInEveryEdgeCase() {
        for (boolean float32 : new boolean[] {false, true}) {
            EngineFactory f = factory("driver", float32);
            for (Case c : CASES) {
                String what = c.what() + (float32 ? ", float32" : "");
                Dataset train = ChunkedSplitsTest.weighted(ChunkedDataTest.blobs(900, 51));
                Dataset validation = ChunkedSplitsTest.weighted(ChunkedDataTest.blobs(c.validationRows(), 52));
                Dataset test = ChunkedDataTest.blobs(c.testRows(), 53); // unweighted, as a test file may be
                if (float32) {
                    train = train.toFloat32();
                    validation = validation.toFloat32();
                    test = test.toFloat32();
                }
                BatchPlan plan = BatchPlan.chunked(train.rows, 64, 9, c.chunkRows());
                double[] params = theta();
                List<double[]> stacked;
                try (DistributedData shared = f.ship(train, validation, test)) { // shared: stays one block each
                    stacked = evaluate(f.create(NET, shared, plan), params);
                }
                List<double[]> chunked = evaluate(f.create(NET, train, validation, test, plan), params);
                assertTrue(sc.getPersistentRDDs().values().stream().noneMatch(r -> String.valueOf(r.name())
                        .startsWith("sparkprop edges ")), what + ": closed engines leave no chunks nor blocks cached");
                List<Dataset> splits = List.of(validation, test, train);
                Evaluator local = new Evaluator(NET, NET.newWorkspace(new OjAlgoGemm()));
                for (int s = 0; s < splits.size(); s++) {
                    assertArrayEquals(stacked.get(s), chunked.get(s), what + ", split " + s);
                    double[] whole = local.addTo(Metrics.newStats(NET), params, splits.get(s).toFloat64());
                    double[] got = chunked.get(s);
                    assertEquals(splits.get(s).rows, got[got.length - 1], what + ": every row counted once");
                    for (int i = 0; i < whole.length; i++) {
                        double tol = (float32 ? 1e-4 : 1e-9) * Math.max(1, Math.abs(whole[i]));
                        assertEquals(whole[i], got[i], tol, what + ", split " + s + ", statistic " + i);
                    }
                }
            }
        }
    }

    /** The barrier job's own validation, over chunks with a partition that has no validation row. */
    @Test
    void theBarrierJobValidatesChunksWithAnEmptyPartition() {
        EngineFactory f = factory("barrier", false);
        for (Case c : List.of(CASES.get(0), CASES.get(4))) {
            Dataset train = ChunkedDataTest.blobs(900, 61);
            Dataset validation = ChunkedSplitsTest.weighted(ChunkedDataTest.blobs(c.validationRows(), 62));
            BatchPlan plan = BatchPlan.chunked(train.rows, 64, 9, c.chunkRows());
            List<double[]> stacked;
            try (DistributedData shared = f.ship(train, validation, null)) {
                stacked = epoch(f.create(NET, shared, plan), plan);
            }
            List<double[]> chunked = epoch(f.create(NET, train, validation, null, plan), plan);
            for (int i = 0; i < stacked.size(); i++) {
                assertArrayEquals(stacked.get(i), chunked.get(i), c.what() + ", result " + i);
            }
            double[] v = chunked.get(0);
            assertEquals(c.validationRows(), v[v.length - 1], c.what() + ": every validation row counted once");
        }
    }

    /** An engine whose start fails after it cut its chunks (here: a bad barrier setting) drops them again. */
    @Test
    void anEngineThatFailsToStartLeavesNoChunksCached() {
        EngineFactory f = factory("barrier", false);
        Dataset train = ChunkedDataTest.blobs(900, 71);
        BatchPlan plan = BatchPlan.chunked(train.rows, 64, 9, 300);
        sc.sc().conf().set(BarrierProtocol.BUCKET_VALUES, "-1");
        try {
            assertThrows(UserError.class, () -> f.create(NET, train, ChunkedDataTest.blobs(600, 72),
                    ChunkedDataTest.blobs(300, 73), plan));
        } finally {
            sc.sc().conf().remove(BarrierProtocol.BUCKET_VALUES);
        }
        assertTrue(sc.getPersistentRDDs().values().stream().noneMatch(r -> String.valueOf(r.name())
                .startsWith("sparkprop edges ")), "cached after the failed start: " + sc.getPersistentRDDs());
    }

    /** One epoch through e: the validation statistics (inside the barrier job), then θ. */
    static List<double[]> epoch(SparkEngine e, BatchPlan plan) {
        List<double[]> out = new ArrayList<>();
        try (e) {
            double[] params = theta();
            Updater updater = new Updater(OptimizerKind.ADAM.create(params.length, NET.layout(), 0.9, 0.0),
                    Schedule.of(ScheduleSpec.constant(0.01), plan.stepsPerEpoch(), 100), NET.layout(), 0.0, 0.0);
            e.trainEpoch(params, updater, 0, 0L);
            out.add(e.evaluate(params, Engine.Split.VALIDATION));
            assertEquals(true, e.summary().get("validation_in_barrier_job"));
            out.add(params);
        }
        return out;
    }
}
