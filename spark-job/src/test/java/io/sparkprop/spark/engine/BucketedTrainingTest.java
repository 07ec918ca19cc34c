// The barrier protocol with its sums sent up in buckets of any size trains to the weights of the sums after the pass.
package io.sparkprop.spark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.spark.barrier.BarrierProtocol;
import io.sparkprop.spark.infra.SparkContexts;

class BucketedTrainingTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[2]", "sparkprop-bucket-test", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Three epochs of BarrierProtocolTest's run (Adam, schedule, L2, clipping) with the given protocol and buckets. */
    static double[] train(String protocol, String bucketValues, boolean float32) {
        var data = float32 ? StepRunner.DATA.toFloat32() : StepRunner.DATA;
        // SparkContext.conf is what getConf copies; the protocol reads the setting at each job's start.
        sc.sc().conf().set(BarrierProtocol.BUCKET_VALUES, bucketValues);
        try (SparkEngine e = StepRunner.spark(sc, StepRunner.settings(2, protocol, float32, "test"), StepRunner.NET,
                data, null, data)) {
            return BarrierProtocolTest.train(e, new ArrayList<>());
        } finally {
            sc.sc().conf().remove(BarrierProtocol.BUCKET_VALUES);
        }
    }

    /**
     * Buckets of 1 and 7 values (every layer's slice cut across, both tasks' buckets meeting at the root while
     * the other still computes) and the default give the weights of the sums sent after the whole backward pass
     * (bucketValues = 0), which are the driver protocol's: the order of additions did not move.
     */
    @ParameterizedTest(name = "float32: {0}")
    @ValueSource(booleans = {false, true})
    void everyBucketSizeTrainsToTheWeightsOfTheSumsAfterTheWholePass(boolean float32) {
        double[] afterPass = train("barrier", "0", float32);
        assertArrayEquals(train("driver", "0", float32), afterPass, "after the pass: the driver protocol's bits");
        for (String size : new String[] {"1", "7", String.valueOf(BarrierProtocol.DEFAULT_BUCKET_VALUES)}) {
            assertArrayEquals(afterPass, train("barrier", size, float32), "bucketValues = " + size);
        }
    }
}
