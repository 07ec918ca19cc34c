// The barrier tree at sizes where it has inner nodes: the same bits whatever the slot count, and resume.
package io.sparkprop.spark.engine;

import io.sparkprop.spark.infra.SparkContexts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.train.CheckpointStore;
import io.sparkprop.trainer.train.LocalCheckpointStore;
import io.sparkprop.trainer.train.TrainState;
import io.sparkprop.trainer.train.Trainer;

class BarrierTreeTest {
    /** Runs {@code body} on a fresh context of {@code master} (one context per JVM at a time). */
    static <T> T on(String master, Function<JavaSparkContext, T> body) {
        JavaSparkContext sc = SparkContexts.start(master, "sparkprop-tree-test", false);
        try {
            return body.apply(sc);
        } finally {
            sc.stop();
        }
    }

    static SparkEngine engine(JavaSparkContext sc, int partitions, String protocol) {
        return StepRunner.spark(sc, StepRunner.settings(partitions, protocol, false, "tree-test"), StepRunner.NET,
                StepRunner.DATA, StepRunner.DATA, null);
    }

    /** Three epochs with validation through the Trainer; the final θ. */
    static double[] train(SparkEngine e) {
        return BarrierProtocolTest.train(e, new ArrayList<>());
    }

    @Test
    void fourAndNinePartitionsGiveTheSameBitsOnMoreSlotsAndUnderTheDriverProtocol() {
        for (int p : new int[] {4, 9}) {
            double[][] w = on("local[" + (p + 2) + "]", sc -> {
                try (SparkEngine barrier = engine(sc, p, "auto"); SparkEngine driver = engine(sc, p, "driver")) {
                    assertEquals("barrier", barrier.protocol());
                    return new double[][] {train(barrier), train(driver)};
                }
            });
            double[] exact = on("local[" + p + "]", sc -> {
                try (SparkEngine barrier = engine(sc, p, "barrier")) {
                    return train(barrier);
                }
            });
            assertArrayEquals(exact, w[0], p + " partitions: local[" + p + "] vs local[" + (p + 2) + "]");
            assertArrayEquals(exact, w[1], p + " partitions: barrier vs driver protocol");
        }
    }

    @Test
    void barrierCheckpointAndResumeIsExactAndTrainsOnlyTheRemainingEpochs(@TempDir Path dir) throws Exception {
        on("local[4]", sc -> {
            try {
                double[] straight;
                try (SparkEngine e = engine(sc, 4, "barrier")) {
                    straight = run(e, CheckpointStore.NONE, fresh(), 4, new ArrayList<>());
                }
                CheckpointStore store = new LocalCheckpointStore(dir);
                try (SparkEngine e = engine(sc, 4, "barrier")) {
                    run(e, store, fresh(), 2, new ArrayList<>());
                }
                TrainState saved = store.latest();
                assertEquals(2, saved.nextEpoch);
                List<Integer> resumedEpochs = new ArrayList<>();
                double[] resumed;
                try (SparkEngine e = engine(sc, 4, "barrier")) {
                    resumed = run(e, store, saved, 4, resumedEpochs);
                }
                assertEquals(List.of(3, 4), resumedEpochs, "only the remaining epochs are trained");
                assertArrayEquals(straight, resumed);
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static TrainState fresh() {
        double[] params = new double[StepRunner.NET.paramCount()];
        Init.XAVIER.fill(StepRunner.NET.layout(), params, 3);
        return new TrainState("h", params, new double[0]);
    }

    static double[] run(SparkEngine e, CheckpointStore store, TrainState state, int epochs, List<Integer> trained) {
        // Every run gets the same schedule, so the resumed one follows the same curve.
        new Trainer(StepRunner.NET, e, BarrierProtocolTest.updater(), store, 1, 0)
                .run(state, epochs, r -> trained.add(r.epoch()));
        assertTrue(state.nextEpoch == epochs);
        return state.params;
    }
}
