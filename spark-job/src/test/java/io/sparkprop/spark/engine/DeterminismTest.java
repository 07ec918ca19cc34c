// Bitwise reproducibility: for a fixed spark.partitions the weights do not depend on the number of executor threads.
package io.sparkprop.spark.engine;

import io.sparkprop.spark.infra.SparkContexts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.kernel.Backend;

class DeterminismTest {

    static double[] train(String master) {
        return train(master, StepRunner.DATA);
    }

    static double[] train(String master, io.sparkprop.trainer.data.Dataset data) {
        JavaSparkContext sc = SparkContexts.start(master, "sparkprop-determinism", false);
        try (SparkEngine e = StepRunner.spark(sc, StepRunner.settings(4, "driver", false, "determinism"),
                StepRunner.NET, data, null, null)) {
            return new StepRunner().run(e, 2).params;
        } finally {
            sc.stop();
        }
    }

    @Test
    void local1AndLocal3GiveBitwiseEqualWeightsWithFourPartitions() {
        assertArrayEquals(train("local[1]"), train("local[3]"));
    }

    /** Row and class weights: the batch's Σw is summed in the same tree, so it keeps the guarantee. */
    @Test
    void weightedRowsToo() {
        io.sparkprop.trainer.data.Dataset d = WeightedSparkTest.weighted();
        assertArrayEquals(train("local[1]", d), train("local[3]", d));
    }
}
