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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import com.typesafe.config.ConfigFactory;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.exec.Block;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.nn.Init;
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

    /** Per epoch: the validation statistics; then the test statistics and the weights. */
    static List<double[]> run(JavaSparkContext sc, TrainConfig cfg, DistributedData data, BatchPlan plan,
                              List<String> cachedAfter) {
        List<double[]> out = new ArrayList<>();
        try (SparkEngine e = EngineFactory.resolve(sc, cfg, "splits").create(StreamedChunksTest.NET, data, plan)) {
            double[] params = new double[StreamedChunksTest.NET.paramCount()];
            Init.XAVIER.fill(StreamedChunksTest.NET.layout(), params, 5);
            Updater updater = new Updater(OptimizerKind.ADAM.create(params.length, StreamedChunksTest.NET.layout(),
                    0.9, 0.0), Schedule.of(ScheduleSpec.constant(0.01), plan.stepsPerEpoch(), 100),
                    StreamedChunksTest.NET.layout(), 0.0, 0.0);
            for (int epoch = 0; epoch < 2; epoch++) {
                e.trainEpoch(params, updater, epoch, (long) epoch * plan.stepsPerEpoch());
                out.add(e.evaluate(params, Engine.Split.VALIDATION)); // barrier: computed inside the job
            }
            out.add(e.evaluate(params, Engine.Split.TEST));
            out.add(params);
            assertEquals(cfg.stepProtocol().id(), e.protocol());
            if (e.protocol().equals("barrier")) {
                assertEquals(true, e.summary().get("validation_in_barrier_job"));
            }
            sc.getPersistentRDDs().values().forEach(rdd -> cachedAfter.add(String.valueOf(rdd.name())));
        }
        return out;
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
                    TrainConfig cfg = config(train, test, "chunks", protocol);
                    List<String> cachedWhole = new ArrayList<>();
                    List<String> cachedCut = new ArrayList<>();
                    List<double[]> fromWhole = run(sc, cfg, whole, plan, cachedWhole);
                    List<double[]> fromCut = run(sc, cfg, cut, plan, cachedCut);
                    for (int i = 0; i < fromWhole.size(); i++) {
                        assertArrayEquals(fromWhole.get(i), fromCut.get(i), protocol + " protocol, result " + i);
                    }
                    // Chunk blocks of the validation and test splits were cut for the streamed data only.
                    assertTrue(cachedCut.contains(TrainChunks.holderName("splits", "val")), cachedCut.toString());
                    assertTrue(cachedCut.contains(TrainChunks.holderName("splits", "test")), cachedCut.toString());
                    assertFalse(cachedWhole.contains(TrainChunks.holderName("splits", "val")), cachedWhole.toString());
                    // Not vacuous: every validation row counted, the epochs' statistics differ, the test's too.
                    assertEquals(cut.validationRows, fromCut.get(0)[fromCut.get(0).length - 1]);
                    assertEquals(3600, fromCut.get(2)[fromCut.get(2).length - 1]);
                    assertFalse(Arrays.equals(fromCut.get(0), fromCut.get(1)));
                }
            }
        } finally {
            sc.stop();
        }
    }
}
