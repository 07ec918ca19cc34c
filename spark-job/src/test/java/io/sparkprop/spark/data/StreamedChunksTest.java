// train.shuffle = chunks with input read on the executors: the rows stream from the shuffle into chunk blocks,
// never one block of a partition's whole share, and train the bits of the rows stacked into one block first.
package io.sparkprop.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.OutputStream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.exec.Block;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;

class StreamedChunksTest {
    static final int ROWS = 3000;
    static final int FEATURES = 6;
    static final int PARTITIONS = 3;
    /** Not a multiple of the partitions, so a partition's share of a chunk varies (83 or 84 rows). */
    static final int CHUNK_ROWS = 250;
    static final Network NET = new Network(new int[] {FEATURES, 8, 3}, Activation.TANH,
            Loss.SOFTMAX_CROSS_ENTROPY, 0.1);

    @TempDir
    Path tmp;

    /** A CSV with a header, FEATURES features, a row weight and a class label made from the features plus noise. */
    Path write() throws Exception {
        SplittableRandom r = new SplittableRandom(25);
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        for (int j = 0; j < FEATURES; j++) head.append("x").append(j).append(',');
        lines.add(head + "w,label");
        for (int i = 0; i < ROWS; i++) {
            StringBuilder line = new StringBuilder();
            double score = 0;
            for (int j = 0; j < FEATURES; j++) {
                double v = 10 * r.nextGaussian() + j;
                score += v * (j % 3 - 1);
                line.append(String.format(Locale.ROOT, "%.4f,", v));
            }
            int label = score + 5 * r.nextGaussian() > 3 ? 2 : score > -3 ? 1 : 0;
            lines.add(line + String.format(Locale.ROOT, "%.3f,%d", 0.5 + r.nextDouble(), label));
        }
        Path f = tmp.resolve("rows.csv");
        Files.write(f, lines);
        return f;
    }

    static TrainConfig config(Path csv, String shuffle, String protocol) {
        return TrainConfig.from(ConfigFactory.parseMap(settings(csv, shuffle, protocol)));
    }

    /** The keys of {@link #config}, for tests that add their own. */
    static Map<String, Object> settings(Path csv, String shuffle, String protocol) {
        Map<String, Object> m = new HashMap<>();
        m.put("data.train", csv.toString());
        m.put("data.format", "csv");
        m.put("data.label-column", "label");
        m.put("data.weight-column", "w");
        m.put("data.validation-fraction", 0.1);
        m.put("data.scale", "standard");
        m.put("model.loss", "softmax-cross-entropy");
        m.put("train.class-weights", "balanced");
        m.put("train.engine", "spark");
        m.put("train.shuffle", shuffle);
        m.put("train.chunk-rows", CHUNK_ROWS);
        m.put("spark.partitions", PARTITIONS);
        m.put("spark.protocol", protocol);
        m.put("spark.storage-level", "MEMORY_AND_DISK");
        m.put("compute.backend", "ojalgo");
        return m;
    }

    static double[] train(JavaSparkContext sc, TrainConfig cfg, DistributedData data, BatchPlan plan) {
        try (SparkEngine e = EngineFactory.resolve(sc, cfg, "streamed").create(NET, data, plan)) {
            double[] params = new double[NET.paramCount()];
            Init.XAVIER.fill(NET.layout(), params, 3);
            Updater updater = new Updater(OptimizerKind.ADAM.create(params.length, NET.layout(), 0.9, 0.0),
                    Schedule.of(ScheduleSpec.constant(0.01), plan.stepsPerEpoch(), 100), NET.layout(), 0.0, 0.0);
            for (int epoch = 0; epoch < 2; epoch++) {
                e.trainEpoch(params, updater, epoch, (long) epoch * plan.stepsPerEpoch());
            }
            assertEquals(cfg.stepProtocol().id(), e.protocol());
            return params;
        }
    }

    @Test
    void rowsStreamedIntoChunkBlocksTrainTheBitsOfOneStackedBlockPerPartition() throws Exception {
        Path csv = write();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        JavaSparkContext sc = SparkContexts.start("local[3]", "sparkprop-streamed-chunks", false);
        try {
            ExecutorInput stacked = ExecutorInput.read(sc, config(csv, "rows", "driver"), PARTITIONS, quiet);
            ExecutorInput streamed = ExecutorInput.read(sc, config(csv, "chunks", "driver"), PARTITIONS, quiet);
            try (DistributedData whole = stacked.blocks(); DistributedData cut = streamed.blocks()) {
                assertEquals(0, whole.chunkRows);
                assertEquals(CHUNK_ROWS, cut.chunkRows);
                assertEquals(PARTITIONS, whole.train.count(), "one block per partition");
                // One block per global chunk and partition, none larger than a partition's share of a chunk.
                List<Integer> sizes = cut.train.map(Block::rows).collect();
                int chunks = (stacked.trainRows() + CHUNK_ROWS - 1) / CHUNK_ROWS;
                assertEquals(chunks * PARTITIONS, sizes.size(), sizes.toString());
                assertTrue(sizes.stream().allMatch(n -> n <= (CHUNK_ROWS + PARTITIONS - 1) / PARTITIONS), sizes
                        .toString());
                assertEquals(stacked.trainRows(), streamed.trainRows());
                assertEquals(stacked.trainRows(), sizes.stream().mapToInt(Integer::intValue).sum());

                BatchPlan plan = BatchPlan.chunked(stacked.trainRows(), 64, 7, CHUNK_ROWS);
                for (String protocol : List.of("driver", "barrier")) {
                    TrainConfig cfg = config(csv, "chunks", protocol);
                    double[] fromWhole = train(sc, cfg, whole, plan);
                    double[] fromStream = train(sc, cfg, cut, plan);
                    assertArrayEquals(fromWhole, fromStream, protocol + " protocol");
                }
                // Not vacuous: another plan trains other weights over the same blocks.
                double[] other = train(sc, config(csv, "chunks", "driver"), whole,
                        BatchPlan.chunked(stacked.trainRows(), 64, 8, CHUNK_ROWS));
                assertFalse(Arrays.equals(other, train(sc, config(csv, "chunks", "driver"), cut,
                        BatchPlan.chunked(stacked.trainRows(), 64, 7, CHUNK_ROWS))));
            }
        } finally {
            sc.stop();
        }
    }
}
