// The driver protocol's distributed sum against the canonical tree order, for every shape it can take.
package io.sparkprop.spark.engine;

import io.sparkprop.spark.exec.ReductionTree;
import io.sparkprop.spark.infra.SparkContexts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FixedOrderSumTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[2]", "sparkprop-sum-test", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Values of wildly different magnitudes, so that any other order of addition changes the bits. */
    static double[][] parts(int p, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[p][];
        for (int i = 0; i < p; i++) {
            out[i] = new double[64];
            for (int j = 0; j < out[i].length; j++) out[i][j] = r.nextGaussian() * Math.pow(10, r.nextInt(17) - 8);
        }
        return out;
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    /** The canonical order written out independently: S(i) = (x_i + S(2i+1)) + S(2i+2), element by element. */
    static double oracle(double[][] x, int i, int j) {
        double s = x[i][j];
        if (2 * i + 1 < x.length) s = s + oracle(x, 2 * i + 1, j);
        if (2 * i + 2 < x.length) s = s + oracle(x, 2 * i + 2, j);
        return s;
    }

    static double[] oracle(double[][] x) {
        double[] out = new double[x[0].length];
        for (int j = 0; j < out.length; j++) out[j] = oracle(x, 0, j);
        return out;
    }

    @Test
    void theSparkSumEqualsTheCanonicalOrderForEveryPartitionCountAndTreeDepth() {
        for (int p = 1; p <= 17; p++) {
            double[][] x = parts(p, p);
            double[] expected = oracle(x);
            assertArrayEquals(expected, ReductionTree.sum(copy(x)), "ReductionTree.sum, p = " + p);
            JavaRDD<double[]> rdd = sc.parallelize(Arrays.asList(copy(x)), p);
            for (int depth = 1; depth <= 3; depth++) {
                assertArrayEquals(expected, FixedOrderSum.sum(rdd, depth, 0), "p = " + p + ", depth " + depth);
            }
        }
    }

    @Test
    void executorLevelsAreUsedFromTwoPartitionsOn() {
        assertEquals(List.of(), FixedOrderSum.targets(1, 2), "one partition: nothing to add");
        assertEquals(List.of(0), FixedOrderSum.targets(2, 2), "one executor level: the driver gets one array");
        assertEquals(List.of(0), FixedOrderSum.targets(4, 2));
        assertEquals(List.of(1, 0), FixedOrderSum.targets(9, 3));
        assertEquals(List.of(2, 0), FixedOrderSum.targets(17, 3));
        assertEquals(List.of(), FixedOrderSum.targets(17, 1));
    }

    @Test
    void theOrderMattersForTheseValues() {
        // Guards the test above: were every order equal, it could not catch a wrong one.
        double[][] x = parts(9, 9);
        double[] canonical = oracle(x);
        double[] byIndex = x[0].clone();
        for (int i = 1; i < x.length; i++) ReductionTree.add(byIndex, x[i]);
        assertFalse(Arrays.equals(canonical, byIndex), "left-to-right differs from the tree somewhere");
    }

    @Test
    void treeShapeHelpers() {
        assertEquals(0, ReductionTree.depth(0));
        assertEquals(1, ReductionTree.depth(2));
        assertEquals(3, ReductionTree.depth(7));
        assertEquals(4, ReductionTree.height(17));
        assertEquals(1, ReductionTree.ancestor(9, 1)); // 9 → 4 → 1
        assertEquals(4, ReductionTree.ancestor(9, 2));
        assertEquals(2, ReductionTree.children(3, 9)); // 7 and 8
        assertEquals(0, ReductionTree.children(4, 9));
        List<Integer> path = new ArrayList<>();
        for (int i = 16; i > 0; i = ReductionTree.parent(i)) path.add(i);
        assertEquals(List.of(16, 7, 3, 1), path);
        assertTrue(ReductionTree.children(7, 17) == 2);
    }
}
