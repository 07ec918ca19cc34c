// Sums sent up the tree in buckets during the backward pass: the bits and bytes of the sum after the whole pass.
package io.sparkprop.spark.barrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sparkprop.spark.exec.PartialLayout;
import io.sparkprop.spark.exec.ReductionTree;
import io.sparkprop.trainer.nn.ParamLayout;

class BucketedSumTest {
    // Three layers of odd sizes: |θ| = 37·23 + 23 + 23·9 + 9 + 9·5 + 5 = 1140, which no bucket size below divides.
    static final ParamLayout LAYOUT = new ParamLayout(new int[] {37, 23, 9, 5});
    static final int P = LAYOUT.size();
    static final PartialLayout SUMS = new PartialLayout(P);
    static final int STEPS = 3;

    /** Task i's partial at a step: values of mixed magnitude and sign, so any change in the order of additions shows. */
    static double[] partial(int i, int step) {
        double[] s = SUMS.newArray();
        for (int k = 0; k < P; k++) s[k] = Math.pow(10, (i * 5 + k * 3 + step) % 19 - 9) * ((k + i) % 3 - 1) / 3.0;
        s[SUMS.loss()] = i + 0.125 * step;
        s[SUMS.rows()] = 1;
        s[SUMS.computeMs()] = 0.5;
        return s;
    }

    /** What the driver received: S(0) of each step; and the bytes through each task's links per step. */
    record Run(List<double[]> sums, List<List<Long>> bytes) {
    }

    /**
     * One epoch of {@link #STEPS} steps: every task as a thread, through the driver's {@link StepServer}; buckets
     * of {@code bucket} values (0: after the whole partial). A task fills its partial layer by layer from the last,
     * as the backward pass does, telling its {@link Upward} after each.
     */
    static Run run(int partitions, boolean float32, int bucket, boolean memory) throws Exception {
        try (StepServer server = new StepServer("127.0.0.1", 0, "127.0.0.1")) {
            ExecutorService pool = Executors.newFixedThreadPool(partitions + 1);
            try {
                double[] theta = new double[P];
                for (int k = 0; k < P; k++) theta[k] = Math.cos(k);
                StepExchange ex = new StepExchange(theta, partitions, 0, 0, float32, bucket);
                int run = server.open(ex);
                Future<List<double[]>> driver = pool.submit(() -> {
                    List<double[]> sums = new ArrayList<>();
                    try {
                        for (int s = 0; s < STEPS; s++) sums.add(ex.sum(s > 0 ? theta : null, 0, s).clone());
                    } finally {
                        ex.end();
                    }
                    return sums;
                });
                List<Future<List<Long>>> tasks = new ArrayList<>();
                for (int i = partitions - 1; i >= 0; i--) {
                    int me = i;
                    tasks.add(0, pool.submit(() -> task(server, run, me, partitions, float32, bucket, memory)));
                }
                List<List<Long>> bytes = new ArrayList<>();
                for (Future<List<Long>> t : tasks) bytes.add(t.get(60, TimeUnit.SECONDS));
                return new Run(driver.get(60, TimeUnit.SECONDS), bytes);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    static List<Long> task(StepServer server, int run, int i, int partitions, boolean float32, int bucket,
                           boolean memory) throws Exception {
        var listener = TreeLinks.listen("127.0.0.1");
        try (TreeNode node = TreeLinks.connect(i, partitions, server.address(), listener, server.token(), run, 0, P,
                float32, memory);
             Upward up = bucket > 0 ? new Upward(node, new Buckets(P, SUMS.length(), bucket), P, i, null) : null) {
            if (node.passDown(new double[P])[0] != Link.GO) throw new IllegalStateException("refused");
            node.takeBytes();
            List<Long> bytes = new ArrayList<>();
            for (int step = 0; ; step++) {
                double[] part = partial(i, step);
                double[] mine = SUMS.newArray();
                if (up != null) up.begin(0, step, mine);
                for (int l = LAYOUT.layers() - 1; l >= 0; l--) {
                    int from = LAYOUT.wOffset(l);
                    int to = l + 1 < LAYOUT.layers() ? LAYOUT.wOffset(l + 1) : P;
                    System.arraycopy(part, from, mine, from, to - from);
                    if (up != null) up.gradientReady(from, to);
                }
                System.arraycopy(part, P, mine, P, SUMS.length() - P);
                if (up != null) {
                    up.finish();
                } else {
                    node.sumUp(Link.STEP, 0, step, mine, mine.length);
                }
                if (node.passDown(new double[P])[0] != Link.GO) return bytes;
                bytes.add(node.takeBytes());
            }
        }
    }

    @ParameterizedTest(name = "{0} tasks, float32 {1}, memory links {2}")
    @CsvSource({"1, false, true", "2, false, true", "2, true, true", "5, false, false", "5, true, true",
            "6, true, false", "6, false, true"})
    void everyBucketSizeGivesTheSumAfterTheWholePassBitForBitAndTheSameBytes(int partitions, boolean float32,
                                                                              boolean memory) throws Exception {
        Run whole = run(partitions, float32, 0, memory);
        // The canonical sum, as the root sends it: under float32 its gradient as floats.
        for (int s = 0; s < STEPS; s++) {
            double[][] parts = new double[partitions][];
            for (int i = 0; i < partitions; i++) parts[i] = partial(i, s);
            double[] expected = ReductionTree.sum(parts);
            if (float32) {
                for (int k = 0; k < P; k++) expected[k] = (float) expected[k];
            }
            assertArrayEquals(expected, whole.sums().get(s), "after the whole pass, step " + s);
        }
        assertEquals(STEPS - 1, whole.bytes().get(0).size(), "every task saw each θ after the first step");
        for (int bucket : new int[] {1, 7, 100, 333, 1139, 5000}) {
            Run b = run(partitions, float32, bucket, memory);
            for (int s = 0; s < STEPS; s++) {
                assertArrayEquals(whole.sums().get(s), b.sums().get(s), "bucket " + bucket + ", step " + s);
            }
            assertEquals(whole.bytes(), b.bytes(), "bucket " + bucket + ": the same bytes through every link");
        }
    }

    @Test
    void bucketsRunFromTheGradientsEndThenTheTail() {
        Buckets b = new Buckets(10, 13, 4);
        int[][] expected = {{6, 10}, {2, 6}, {0, 2}, {10, 13}};
        assertEquals(expected.length, b.count());
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k][0], b.from(k), "bucket " + k);
            assertEquals(expected[k][1], b.to(k), "bucket " + k);
            assertEquals(k < 3, b.inGradient(k));
        }
        Buckets off = new Buckets(10, 13, 0);
        assertEquals(1, off.count());
        assertTrue(off.from(0) == 0 && off.to(0) == 13 && !off.inGradient(0));
    }
}
