// train.shuffle = chunks with a validation split and a test file read on the executors: both splits stream into
// chunk blocks, are evaluated chunk by chunk, and report the bits of their stacked blocks; the weights do not move.
package io.sparkprop.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import com.typesafe.config.ConfigFactory;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.engine.SparkSettings;
import io.sparkprop.spark.exec.Block;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;

class ChunkedSplitsTest {
    static final int PARTITIONS = 3;
    /**
     * 600 rows of each partition per chunk, more than an evaluation pass ({@link Evaluator#CHUNK} = 512): some
     * passes lie in one chunk, others span two (copied into a buffer first).
     */
    static final int CHUNK_ROWS = 1800;

    @TempDir
    Path tmp;

    /** StreamedChunksTest's kind of CSV (features, a row weight, a class label), {@code rows} of them. */
    Path write(String name, int rows, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        for (int j = 0; j < StreamedChunksTest.FEATURES; j++) head.append("x").append(j).append(',');
        lines.add(head + "w,label");
        for (int i = 0; i < rows; i++) {
            StringBuilder line = new StringBuilder();
            double score = 0;
            for (int j = 0; j < StreamedChunksTest.FEATURES; j++) {
                double v = 10 * r.nextGaussian() + j;
                score += v * (j % 3 - 1);
                line.append(String.format(Locale.ROOT, "%.4f,", v));
            }
            int label = score + 5 * r.nextGaussian() > 3 ? 2 : score > -3 ? 1 : 0;
            lines.add(line + String.format(Locale.ROOT, "%.3f,%d", 0.5 + r.nextDouble(), label));
        }
        Path f = tmp.resolve(name);
        Files.write(f, lines);
        return f;
    }

    static TrainConfig config(Path train, Path test, String shuffle, String protocol) {
        Map<String, Object> m = StreamedChunksTest.settings(train, shuffle, protocol);
        m.put("data.test", test.toString());
        m.put("data.validation-fraction", 0.4);
        m.put("train.chunk-rows", CHUNK_ROWS);
        return TrainConfig.from(ConfigFactory.parseMap(m));
    }

    /**
     * Two epochs through engine e: per epoch the validation statistics, then the test statistics, the weights and
     * the training split's statistics. {@code cached} gets the RDDs cached while e is open, by name.
     */
    static List<double[]> run(JavaSparkContext sc, SparkEngine e, Network net, BatchPlan plan,
                              Map<String, StorageLevel> cached) {
        List<double[]> out = new ArrayList<>();
        try (e) {
            double[] params = new double[net.paramCount()];
            Init.XAVIER.fill(net.layout(), params, 5);
            Updater updater = new Updater(OptimizerKind.ADAM.create(params.length, net.layout(), 0.9, 0.0),
                    Schedule.of(ScheduleSpec.constant(0.01), plan.stepsPerEpoch(), 100), net.layout(), 0.0, 0.0);
            for (int epoch = 0; epoch < 2; epoch++) {
                e.trainEpoch(params, updater, epoch, (long) epoch * plan.stepsPerEpoch());
                out.add(e.evaluate(params, Engine.Split.VALIDATION)); // barrier: computed inside the job
            }
            out.add(e.evaluate(params, Engine.Split.TEST));
            out.add(params);
            out.add(e.evaluate(params, Engine.Split.TRAIN));
            if (e.protocol().equals("barrier")) {
                assertEquals(true, e.summary().get("validation_in_barrier_job"));
            }
            sc.getPersistentRDDs().values().forEach(rdd -> cached.put(String.valueOf(rdd.name()),
                    rdd.getStorageLevel()));
        }
        return out;
    }

    /**
     * The stacked run's results equal the chunked run's, bit for bit, and only the latter cut val/test chunks,
     * stored like the training chunks (so they spill too).
     */
    static void assertSameBits(List<double[]> whole, Map<String, StorageLevel> cachedWhole, List<double[]> cut,
                               Map<String, StorageLevel> cachedCut, String name, String protocol,
                               int validationRows, int testRows) {
        for (int i = 0; i < whole.size(); i++) {
            assertArrayEquals(whole.get(i), cut.get(i), protocol + " protocol, result " + i);
        }
        StorageLevel trainChunks = cachedCut.get(TrainChunks.holderName(name, "train"));
        assertTrue(trainChunks != null && trainChunks.useDisk(), cachedCut.toString());
        assertEquals(trainChunks, cachedCut.get(TrainChunks.holderName(name, "val")), cachedCut.toString());
        assertEquals(trainChunks, cachedCut.get(TrainChunks.holderName(name, "test")), cachedCut.toString());
        assertFalse(cachedWhole.containsKey(TrainChunks.holderName(name, "val")), cachedWhole.toString());
        // Not vacuous: every row counted, and the epochs' validation statistics differ.
        assertEquals(validationRows, cut.get(0)[cut.get(0).length - 1]);
        assertEquals(testRows, cut.get(2)[cut.get(2).length - 1]);
        assertFalse(Arrays.equals(cut.get(0), cut.get(1)));
    }

    @Test
    void validationAndTestSplitsInChunksReportTheBitsOfStackedBlocksAndLeaveTheWeightsAlone() throws Exception {
        Path train = write("train.csv", 6000, 31);
        Path test = write("test.csv", 3600, 32);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        JavaSparkContext sc = SparkContexts.start("local[3]", "sparkprop-chunked-splits", false);
        try {
            ExecutorInput stacked = ExecutorInput.read(sc, config(train, test, "rows", "driver"), PARTITIONS, quiet);
            ExecutorInput streamed = ExecutorInput.read(sc, config(train, test, "chunks", "driver"), PARTITIONS,
                    quiet);
            try (DistributedData whole = stacked.blocks(); DistributedData cut = streamed.blocks()) {
                assertEquals(PARTITIONS, whole.validation.count(), "one validation block per partition");
                assertEquals(PARTITIONS, whole.test.count(), "one test block per partition");
                assertEquals(whole.validationRows, cut.validationRows);
                assertEquals(3600, cut.testRows);
                int share = (CHUNK_ROWS + PARTITIONS - 1) / PARTITIONS;
                for (var split : List.of(cut.validation, cut.test)) {
                    List<Integer> sizes = split.map(Block::rows).collect();
                    assertTrue(sizes.size() >= 2 * PARTITIONS && sizes.stream().allMatch(n -> n <= share),
                            "one block per chunk and partition: " + sizes);
                }
                assertTrue(cut.validationRows / PARTITIONS > Evaluator.CHUNK, "a pass spans two chunks");

                BatchPlan plan = BatchPlan.chunked(stacked.trainRows(), 64, 7, CHUNK_ROWS);
                for (String protocol : List.of("driver", "barrier")) {
                    EngineFactory f = EngineFactory.resolve(sc, config(train, test, "chunks", protocol), "splits");
                    Map<String, StorageLevel> cachedWhole = new HashMap<>();
                    Map<String, StorageLevel> cachedCut = new HashMap<>();
                    List<double[]> fromWhole = run(sc, f.create(StreamedChunksTest.NET, whole, plan),
                            StreamedChunksTest.NET, plan, cachedWhole);
                    List<double[]> fromCut = run(sc, f.create(StreamedChunksTest.NET, cut, plan),
                            StreamedChunksTest.NET, plan, cachedCut);
                    assertSameBits(fromWhole, cachedWhole, fromCut, cachedCut, "splits", protocol,
                            cut.validationRows, 3600);
                    // The training chunks' statistics are those of the stacked training blocks (a plan without
                    // chunks evaluates those), for the same weights.
                    double[] weights = fromCut.get(3);
                    try (SparkEngine e = f.create(StreamedChunksTest.NET, whole,
                            new BatchPlan(stacked.trainRows(), 64, 7))) {
                        assertArrayEquals(e.evaluate(weights, Engine.Split.TRAIN), fromCut.get(4));
                    }
                }
            }
        } finally {
            sc.stop();
        }
    }

    @Test
    void splitsHeldOnTheDriverShipInChunksAndReportTheBitsOfStackedBlocks() {
        Dataset train = ChunkedDataTest.blobs(6000, 41);
        Dataset validation = weighted(ChunkedDataTest.blobs(2400, 42));
        Dataset test = weighted(ChunkedDataTest.blobs(3600, 43));
        Network net = ChunkedDataTest.NET;
        BatchPlan plan = BatchPlan.chunked(train.rows, 64, 9, CHUNK_ROWS);
        JavaSparkContext sc = SparkContexts.start("local[3]", "sparkprop-chunked-driver-splits", false);
        try {
            // The barrier protocol once more under float32: chunks of float features, passes copied as floats.
            for (String run : List.of("driver", "barrier", "barrier float32")) {
                String protocol = run.split(" ")[0];
                boolean f32 = run.endsWith("float32");
                if (f32) {
                    train = train.toFloat32();
                    validation = validation.toFloat32();
                    test = test.toFloat32();
                }
                Map<String, Object> keys = new HashMap<>(Map.of("spark.partitions", PARTITIONS, "spark.protocol",
                        protocol, "spark.storage-level", "MEMORY_AND_DISK", "compute.backend", "ojalgo"));
                if (f32) {
                    keys.put("compute.precision", "float32");
                }
                EngineFactory f = EngineFactory.resolve(sc, SparkSettings.of(TrainConfig.from(
                        ConfigFactory.parseMap(keys)), "chunks"));
                Map<String, StorageLevel> cachedWhole = new HashMap<>();
                Map<String, StorageLevel> cachedCut = new HashMap<>();
                List<double[]> fromWhole;
                try (DistributedData stacked = f.ship(train, validation, test)) { // shared: stays stacked
                    assertEquals(0, stacked.chunkRows);
                    fromWhole = run(sc, f.create(net, stacked, plan), net, plan, cachedWhole);
                }
                List<double[]> fromCut = run(sc, f.create(net, train, validation, test, plan), net, plan, cachedCut);
                assertSameBits(fromWhole, cachedWhole, fromCut, cachedCut, "chunks", run, 2400, 3600);
                assertFalse(cachedCut.keySet().stream().anyMatch(n -> n.endsWith(" blocks")),
                        "no stacked block cached: " + cachedCut);
            }
        } finally {
            sc.stop();
        }
    }

    /** The same rows with row weights in [0.5, 1.5). */
    static Dataset weighted(Dataset d) {
        SplittableRandom r = new SplittableRandom(d.rows);
        double[] w = new double[d.rows];
        for (int i = 0; i < w.length; i++) w[i] = 0.5 + r.nextDouble();
        return d.withWeights(w);
    }
}
