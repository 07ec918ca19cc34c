// Row and class weights on the Spark engine (local[2]): both protocols give the same bits, all-ones weights the
// unweighted bits, and the in-process trainer the same weights up to the order of the sums.
package io.sparkprop.spark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.LocalEngine;

class WeightedSparkTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[2]", "sparkprop-weights-test", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** StepRunner's rows with weights 0.5, 1, 1.5, 2 in turn, and class weights (1, 2.5, 0.75). */
    static Dataset weighted() {
        double[] w = new double[StepRunner.DATA.rows];
        for (int r = 0; r < w.length; r++) w[r] = 0.5 * (1 + r % 4);
        return StepRunner.DATA.withWeights(w).withClassWeights(new double[] {1.0, 2.5, 0.75});
    }

    static SparkEngine spark(String protocol, Dataset data) {
        return StepRunner.spark(sc, StepRunner.settings(2, protocol, false, "weights"), StepRunner.NET, data, null,
                data);
    }

    /** Three epochs of BarrierProtocolTest's updater (Adam, cosine, L2, clipping) through the Trainer. */
    static double[] train(Engine e) {
        return BarrierProtocolTest.train(e, new ArrayList<>());
    }

    @Test
    void bothProtocolsGiveTheSameBitsAndMatchTheInProcessTrainer() {
        Dataset d = weighted();
        double[] driver;
        double[] barrier;
        double[] metricsDriver;
        try (SparkEngine e = spark("driver", d)) {
            driver = train(e);
            metricsDriver = e.evaluate(driver, Engine.Split.TEST);
        }
        try (SparkEngine e = spark("barrier", d)) {
            barrier = train(e);
        }
        assertArrayEquals(driver, barrier);
        double[] local;
        double[] metricsLocal;
        try (LocalEngine e = new LocalEngine(StepRunner.NET, d, null, d, StepRunner.PLAN,
                () -> Backend.OJALGO.gemm(), 1)) {
            local = train(e);
            metricsLocal = e.evaluate(local, Engine.Split.TEST);
        }
        for (int i = 0; i < local.length; i++) {
            assertEquals(local[i], driver[i], 1e-9 * Math.max(1, Math.abs(local[i])), "θ[" + i + "]");
        }
        double[] unweighted;
        try (SparkEngine e = spark("driver", StepRunner.DATA)) {
            unweighted = train(e);
        }
        assertFalse(Arrays.equals(unweighted, driver), "the weights must change the run");
        // Test metrics weighted by the row weights: Σ w over the test rows, on the executors as in process.
        double total = Arrays.stream(d.w).sum();
        assertEquals(total, metricsDriver[0], 1e-9);
        assertEquals(metricsLocal[0], metricsDriver[0], 1e-9);
        assertEquals(metricsLocal[2], metricsDriver[2], 1e-6);
    }

    @Test
    void allOnesWeightsGiveTheUnweightedBitsUnderBothProtocols() {
        double[] ones = new double[StepRunner.DATA.rows];
        Arrays.fill(ones, 1.0);
        for (String protocol : new String[] {"driver", "barrier"}) {
            double[] plain;
            double[] weighted;
            try (SparkEngine e = spark(protocol, StepRunner.DATA)) {
                plain = train(e);
            }
            try (SparkEngine e = spark(protocol, StepRunner.DATA.withWeights(ones))) {
                weighted = train(e);
            }
            assertArrayEquals(plain, weighted, protocol);
        }
    }
}
