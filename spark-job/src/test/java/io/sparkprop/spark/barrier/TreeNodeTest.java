// The barrier tree without Spark: P tasks as threads meet through the driver's StepServer and sum up the tree.
package io.sparkprop.spark.barrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.spark.exec.PartialLayout;
import io.sparkprop.spark.exec.ReductionTree;
import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Sgd;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Step;

class TreeNodeTest {
    // W: (4 × 500) and b: (4), so |θ| = 2004; 16 rows in batches of 4: four steps in the one epoch.
    static final ParamLayout LAYOUT = new ParamLayout(new int[] {500, 4});
    static final int P = LAYOUT.size();
    static final BatchPlan PLAN = new BatchPlan(16, 4, 1);
    static final PartialLayout SUMS = new PartialLayout(P);

    static Updater sgd() {
        return new Updater(new Sgd(P), Schedule.of(ScheduleSpec.constant(0.5), PLAN.stepsPerEpoch(), 100), LAYOUT,
                0, 0);
    }

    static double[] start() {
        double[] theta = new double[P];
        for (int k = 0; k < P; k++) theta[k] = Math.sin(k);
        return theta;
    }

    /** Task i's partial sums at a step: values of mixed magnitude, so the order of the additions shows. */
    static double[] partial(int i, int step) {
        double[] s = SUMS.newArray();
        for (int k = 0; k < P; k++) s[k] = Math.pow(10, (i * 7 + k + step) % 17 - 8) * (k % 3 - 1);
        s[SUMS.loss()] = i + 0.25;
        s[SUMS.rows()] = i == 0 ? 4 : 0; // the step's 4 rows all sit in partition 0's block
        s[SUMS.weight()] = i == 0 ? 4 : 0; // unweighted: their weights sum to the row count
        s[SUMS.computeMs()] = 1;
        return s;
    }

    /** What one task saw: θ after each step it got one, and the bytes through its links at each of them. */
    record Seen(List<double[]> thetas, List<Long> bytes) {
    }

    static Seen task(String driver, long[] token, int run, int attempt, int i, int partitions, boolean memory)
            throws Exception {
        return task(driver, token, run, attempt, i, partitions, memory, false);
    }

    /** As above; under float32 the θs seen are the floats the task got, widened. */
    static Seen task(String driver, long[] token, int run, int attempt, int i, int partitions, boolean memory,
                     boolean float32) throws Exception {
        var listener = TreeLinks.listen("127.0.0.1");
        try (TreeNode node = TreeLinks.connect(i, partitions, driver, listener, token, run, attempt, P, float32,
                memory)) {
            double[] theta = new double[P];
            if (node.passDown(theta)[0] != Link.GO) throw new IllegalStateException("refused");
            node.takeBytes(); // the job's start: hellos, addresses and the first θ
            Seen seen = new Seen(new ArrayList<>(), new ArrayList<>());
            for (int step = 0; ; step++) {
                double[] mine = partial(i, step);
                node.sumUp(Link.STEP, 0, step, mine, mine.length);
                if (node.passDown(theta)[0] != Link.GO) return seen;
                seen.thetas().add(float32 ? widened(node.thetaF()) : node.theta().clone());
                seen.bytes().add(node.takeBytes());
            }
        }
    }

    /**
     * The threads share a JVM, so with memory links on every task-to-task link is a {@link MemoryWire}; "some"
     * turns them on for the tasks i % 3 ≠ 0 only, so links of both kinds meet (a wire needs both ends willing).
     */
    @ParameterizedTest(name = "memory links: {0}")
    @ValueSource(strings = {"none", "all", "some"})
    void nineTasksFindTheirParentsThroughTheDriverAndEachStepsThetaIsTheCanonicalSumsStep(String links)
            throws Exception {
        int partitions = 9;
        try (StepServer server = new StepServer("127.0.0.1", 0, "127.0.0.1")) {
            ExecutorService pool = Executors.newFixedThreadPool(partitions + 1);
            try {
                StepExchange ex = loop(pool, partitions, false);
                int run = server.open(ex);
                long wiresBefore = MemoryWire.accepted();
                List<Seen> seen = runAll(pool, server, run, partitions, links, false);
                long wires = MemoryWire.accepted() - wiresBefore;

                // The oracle: the same steps fed with ReductionTree's sum of the partials, without any links.
                Oracle oracle = new Oracle();
                int steps = PLAN.stepsPerEpoch();
                for (int step = 0; step < steps - 1; step++) {
                    double[][] parts = new double[partitions][];
                    for (int i = 0; i < partitions; i++) parts[i] = partial(i, step);
                    double[] expected = oracle.step(step, ReductionTree.sum(parts)).clone();
                    for (int i = 0; i < partitions; i++) {
                        assertArrayEquals(expected, seen.get(i).thetas().get(step), "task " + i + " step " + step);
                    }
                }

                // A link is in memory exactly when both its ends are willing (the root's link up is the driver's).
                int expected = 0;
                for (int i = 1; i < partitions; i++) {
                    expected += willing(links, i) && willing(links, ReductionTree.parent(i)) ? 1 : 0;
                }
                assertEquals(expected, wires, "task-to-task links made in memory");

                // Per step (θ down and the sums up), each task moves (1 + c) heads and sums and (1 + c) heads and
                // θs for its c ≤ 2 children: never more than three arrays each way, whatever the partition count.
                // A memory link counts what its socket would carry.
                long sum = 12 + 8L * SUMS.length();
                long theta = 12 + 8L * P;
                for (int i = 0; i < partitions; i++) {
                    long c = ReductionTree.children(i, partitions);
                    for (long b : seen.get(i).bytes()) {
                        assertEquals((1 + c) * (sum + theta), b, "task " + i);
                        assertTrue(b <= 3 * (sum + theta));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Under float32 θ travels as floats from the driver's socket through every link, socket or memory, to each
     * task (4 bytes a value), and only the root's sums go up as floats: each task sees the canonical step's θ
     * rounded to float, computed from the tree's sum rounded as the root sends it.
     */
    @ParameterizedTest(name = "memory links: {0}")
    @ValueSource(strings = {"none", "some"})
    void underFloat32EveryTaskGetsTheStepsThetaAsFloats(String links) throws Exception {
        int partitions = 9;
        try (StepServer server = new StepServer("127.0.0.1", 0, "127.0.0.1")) {
            ExecutorService pool = Executors.newFixedThreadPool(partitions + 1);
            try {
                StepExchange ex = loop(pool, partitions, true);
                int run = server.open(ex);
                List<Seen> seen = runAll(pool, server, run, partitions, links, true);

                Oracle oracle = new Oracle();
                for (int step = 0; step < PLAN.stepsPerEpoch() - 1; step++) {
                    double[][] parts = new double[partitions][];
                    for (int i = 0; i < partitions; i++) parts[i] = partial(i, step);
                    double[] sum = ReductionTree.sum(parts);
                    for (int k = 0; k < P; k++) sum[k] = (float) sum[k];
                    double[] expected = oracle.step(step, sum).clone();
                    for (int k = 0; k < P; k++) expected[k] = (float) expected[k];
                    for (int i = 0; i < partitions; i++) {
                        assertArrayEquals(expected, seen.get(i).thetas().get(step), "task " + i + " step " + step);
                    }
                }
                long theta = 12 + 4L * P;
                long sums = 12 + 8L * SUMS.length();
                long rootUp = 12 + 4L * P + 8L * (SUMS.length() - P);
                for (int i = 0; i < partitions; i++) {
                    long c = ReductionTree.children(i, partitions);
                    long expected = (1 + c) * theta + c * sums + (i == 0 ? rootUp : sums);
                    for (long b : seen.get(i).bytes()) assertEquals(expected, b, "task " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * The training loop's side on the pool: one epoch through {@link BarrierSums} from {@link #start}, then the run
     * ends (the tasks get STOP). Returns the exchange to open on the server.
     */
    static StepExchange loop(ExecutorService pool, int partitions, boolean float32) {
        EpochStart start = new EpochStart(start());
        StepExchange ex = new StepExchange(start.theta(), partitions, 0, 0, float32);
        BarrierSums sums = new BarrierSums(ex, start, PLAN, partitions);
        pool.submit(() -> {
            try {
                sums.epoch(sgd(), start(), new double[P], 0, 0, Lanes.SERIAL);
            } finally {
                ex.end();
            }
            return null;
        });
        return ex;
    }

    /** The same steps without links: the one {@link Step#update} on the sums given. */
    static final class Oracle {
        final Updater updater = sgd();
        final double[] theta = start();
        final double[] loss = new double[PLAN.stepsPerEpoch()];
        final double[] norm = new double[PLAN.stepsPerEpoch()];

        /** θ after step {@code step} with S(0) = {@code sum}. */
        double[] step(int step, double[] sum) {
            double[] grad = java.util.Arrays.copyOf(sum, P);
            Step.update(updater, PLAN, theta, grad, sum[SUMS.loss()], sum[SUMS.weight()], step, step, loss, norm,
                    Lanes.SERIAL);
            return theta;
        }
    }

    /** Runs every task of attempt 0 on the pool and returns what each saw, in partition order. */
    static List<Seen> runAll(ExecutorService pool, StepServer server, int run, int partitions, String links,
                             boolean float32) throws Exception {
        List<Future<Seen>> tasks = new ArrayList<>();
        // Reverse order: children say hello before their parents do, and must wait for them.
        for (int i = partitions - 1; i >= 0; i--) {
            int me = i;
            boolean memory = willing(links, i);
            tasks.add(0, pool.submit(() -> task(server.address(), server.token(), run, 0, me, partitions, memory,
                    float32)));
        }
        List<Seen> seen = new ArrayList<>();
        for (Future<Seen> t : tasks) seen.add(t.get(60, TimeUnit.SECONDS));
        return seen;
    }

    private static double[] widened(float[] f) {
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) d[k] = f[k];
        return d;
    }

    static boolean willing(String links, int task) {
        return links.equals("all") || links.equals("some") && task % 3 != 0;
    }

    @ParameterizedTest(name = "memory links {0}")
    @ValueSource(booleans = {false, true})
    void aTaskOfAnAttemptTheDriverHasGivenUpOnIsTurnedAway(boolean memory) throws Exception {
        try (StepServer server = new StepServer("127.0.0.1", 0, "127.0.0.1")) {
            StepExchange ex = new StepExchange(start(), 3, 0, 0, false);
            int run = server.open(ex);
            ex.fail(0);
            Exception e = assertThrows(Exception.class, () -> task(server.address(), server.token(), run, 0, 1, 3,
                    memory));
            assertTrue(String.valueOf(e.getMessage()).contains("turned attempt 1 away"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "memory links {0}")
    @ValueSource(booleans = {false, true})
    void aWaitingTaskGivesUpWhenItsAttemptFails(boolean memory) throws Exception {
        try (StepServer server = new StepServer("127.0.0.1", 0, "127.0.0.1")) {
            StepExchange ex = new StepExchange(start(), 6, 0, 0, false);
            int run = server.open(ex);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                // Partition 2's parent (0) never says hello; the attempt failing must release it.
                Future<Seen> waiting = pool.submit(() -> task(server.address(), server.token(), run, 0, 2, 6,
                        memory));
                // Not a sleep: wait until the task's hello is on record, then fail the attempt. The book answers
                // for a known attempt only, so a hello of partition 1 (absent here) opens attempt 0 first; then
                // partition 5's parent lookup returns once its parent, partition 2, has said hello.
                TaskAddresses book = ex.addresses();
                book.put(0, 1, "127.0.0.1:1");
                book.parentOf(0, 5, 30_000);
                ex.fail(0);
                Exception e = assertThrows(Exception.class, () -> waiting.get(30, TimeUnit.SECONDS));
                assertTrue(String.valueOf(e.getMessage()).contains("turned attempt 1 away"), e.getMessage());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
