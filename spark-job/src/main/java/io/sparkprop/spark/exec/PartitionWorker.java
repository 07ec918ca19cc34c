// Executor-side state of one partition: its workspace, this epoch's slice of the batch plan and the chunks in use.
package io.sparkprop.spark.exec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Batch;
import io.sparkprop.trainer.nn.BatchSums;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Objective;
import io.sparkprop.trainer.nn.Overlap;
import io.sparkprop.trainer.nn.Workspace;
import io.sparkprop.trainer.train.BatchPlan;

/**
 * Lives in the executor JVM across steps (a static cache keyed by run and partition), so the workspace is
 * allocated once and the epoch's plan is sliced once per epoch, not per step. Everything it computes but the
 * compute-time slot is a pure function of (block, params, epoch, step): a retried or speculative task returns
 * the same sums, bit for bit.
 *
 * <p>Over a {@link ChunkRef} (train.shuffle = chunks) each step's rows are gathered out of the partition's chunk
 * blocks in plan order ({@link ChunkWindow}), so the kernel sees the same rows in the same order as over a whole
 * {@link Block}.
 */
public final class PartitionWorker {
    /** Workers kept per executor JVM: enough for the partitions of a few concurrent runs (a sweep). */
    static final int MAX_WORKERS = 256;
    /**
     * Least recently used first out. Executors never hear that a run ended (only the driver does), so a bounded
     * cache is what keeps finished runs' workspaces from piling up; an evicted worker is simply rebuilt.
     */
    private static final Map<String, PartitionWorker> WORKERS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PartitionWorker> eldest) {
            return size() > MAX_WORKERS;
        }
    };

    private final Network net;
    private final BatchPlan plan;
    private final Workspace ws;
    private final Evaluator evaluator;
    private final Batch batch = new Batch();
    private final PartialLayout layout;
    /** θ widened from the floats it travelled in: for validation statistics, or a float64 network's products. */
    private double[] wide;
    private int epoch = -1;
    /** What a barrier task hangs on this worker ({@link #overlap}, {@link #normSums}), and the float32 relay. */
    private final TaskHooks hooks;
    /** Local rows of this epoch in global-permutation order, and where each step's rows start. */
    private int[] order;
    private int[] stepStart;
    /** The most rows any step of this epoch takes from this partition. */
    private int maxStepRows;
    /** The chunks in use and a step's rows gathered from them, and evaluation over chunks (over a {@link ChunkRef}). */
    private final ChunkWindow chunks;
    private final ChunkPasses passes;
    /** batch-norm's exchanges of this partition (null without batch-norm), and a gradient scratch for its jobs. */
    private final ShardNorm norm;
    private double[] scratch;

    private PartitionWorker(Network net, BatchPlan plan, Backend backend) {
        this.net = net;
        this.plan = plan;
        this.ws = net.newWorkspace(backend.gemm());
        this.evaluator = new Evaluator(net, ws);
        this.layout = PartialLayout.of(net);
        this.chunks = new ChunkWindow(plan);
        this.passes = new ChunkPasses(evaluator);
        this.norm = layout.norms() > 0 ? new ShardNorm(net, layout) : null;
        ws.setBatchSums(norm);
        this.hooks = new TaskHooks(ws, norm);
    }

    public static PartitionWorker get(String runId, int partition, Network net, BatchPlan plan, Backend backend) {
        synchronized (WORKERS) {
            return WORKERS.computeIfAbsent(runId + "/" + partition, k -> new PartitionWorker(net, plan, backend));
        }
    }

    /** Counts this worker's chunk reads in {@code r} from now on: each task hands in its closure's counters. */
    public synchronized PartitionWorker countReadsIn(ChunkReads r) {
        chunks.countReadsIn(r);
        return this;
    }

    /** Drops every worker of a run (called on the driver's JVM; executors lose theirs with the JVM). */
    public static void forget(String runId) {
        synchronized (WORKERS) {
            WORKERS.keySet().removeIf(k -> k.startsWith(runId + "/"));
        }
    }

    /**
     * This block's partial sums of global batch (epoch, step) in the {@link PartialLayout}: only a double[]
     * crosses the wire.
     */
    public synchronized double[] lossAndGradient(TrainRows block, Dataset data, double[] params, int epoch, int step) {
        return lossAndGradient(block, data, params, epoch, step, layout.newArray());
    }

    /**
     * From now on the gradient calls tell {@code hook} as each layer's slice of {@code out} is final, last layer
     * first ({@link Overlap}; under float32 once it is widened into {@code out}), so a barrier task can send it up
     * while the pass goes on, and ask it for θ[0, to) before they read it, so θ may still be arriving when the
     * call starts; {@link Overlap#NONE} stops. The rows, loss and compute time come after the call.
     */
    public synchronized void overlap(Overlap hook) {
        hooks.overlap(hook);
    }

    /**
     * A task's end: stops {@code hook} if it is still the worker's. The worker outlives its tasks, and a task of a
     * failed barrier attempt may end after the next attempt's task (same partition, same JVM) set its own hook:
     * clearing that one would let its forward pass read θ still on its way down.
     */
    public synchronized void overlapEnds(Overlap hook) {
        hooks.overlapEnds(hook);
    }

    /**
     * Where batch-norm's global sums come from in the following calls: {@code tree}, the barrier task's exchange,
     * or {@code known}, the sums of a step's first known.length exchanges that the driver protocol's earlier jobs
     * added up ({@link #normPartial}). Without batch-norm, nothing.
     */
    public synchronized void normSums(BatchSums tree, double[][] known) {
        hooks.normSums(tree, known);
    }

    /** A barrier task's end: stops {@code tree} if it is still the source, as {@link #overlapEnds} does. */
    public synchronized void normSumsEnd(BatchSums tree) {
        hooks.normSumsEnd(tree);
    }

    /**
     * The driver protocol's job for batch-norm exchange j of step (epoch, step): the pass runs (the earlier
     * exchanges from the known sums) up to exchange j, and this partition's partial of it is returned; zeros when
     * the partition has no rows in the step. θ is a double[] or the float[] it was broadcast as.
     */
    public synchronized double[] normPartial(TrainRows block, Dataset data, Object theta, int epoch, int step, int j) {
        norm.begin(null, j);
        if (select(block, data, epoch, step)) {
            try {
                if (theta instanceof float[] f && ws.isFloat32()) {
                    Objective.lossAndFloatGradient(net, f, batch, ws);
                } else {
                    if (scratch == null) scratch = new double[net.paramCount()];
                    Objective.lossAndGradient(net, theta instanceof float[] f ? widen(f) : (double[]) theta, batch,
                            ws, scratch);
                }
                throw new IllegalStateException("the pass made no batch-norm exchange " + j);
            } catch (ShardNorm.Stop stopped) {
                // this partition's partial of exchange j is in
            }
        } else {
            norm.emptyShard();
        }
        return norm.stopped();
    }

    /**
     * As above, into {@code out} ({@link PartialLayout#length}, overwritten): a task's steps reuse one buffer.
     * {@code data} is the block's Dataset view, or null over a {@link ChunkRef}.
     */
    public synchronized double[] lossAndGradient(TrainRows block, Dataset data, double[] params, int epoch, int step,
                                                 double[] out) {
        long t0 = System.nanoTime();
        Arrays.fill(out, 0.0);
        if (norm != null) norm.begin(out, -1);
        if (select(block, data, epoch, step)) {
            ws.setOverlap(hooks.onDoubles(params.length));
            try {
                out[layout.loss()] = Objective.lossAndGradient(net, params, batch, ws, out);
            } finally {
                ws.setOverlap(Overlap.NONE);
            }
        } else if (norm != null) {
            norm.emptyShard();
        }
        return finish(out, step, t0);
    }

    /**
     * The call on θ as the floats it travelled in. A float32 workspace takes them as they are, and its float
     * partial is widened straight into {@code out} (0.0 + g, the bits of the zeroed sum the double entry point
     * adds it to), one pass; a float64 one (floats on the wire only) computes on θ widened.
     */
    public synchronized double[] lossAndGradient(TrainRows block, Dataset data, float[] params, int epoch, int step,
                                                 double[] out) {
        if (!ws.isFloat32()) {
            hooks.paramsNeeded(params.length); // widening reads all of θ
            return lossAndGradient(block, data, widen(params), epoch, step, out);
        }
        long t0 = System.nanoTime();
        if (norm != null) norm.begin(out, -1);
        if (select(block, data, epoch, step)) {
            ws.setOverlap(hooks.onFloats(out));
            try {
                out[layout.loss()] = Objective.lossAndFloatGradient(net, params, batch, ws);
            } finally {
                ws.setOverlap(Overlap.NONE);
                hooks.floatsEnd();
            }
            hooks.widenRest(out);
        } else {
            Arrays.fill(out, 0.0);
            if (norm != null) norm.emptyShard();
        }
        return finish(out, step, t0);
    }

    /** {@link #lossAndGradient(TrainRows, Dataset, float[], int, int, double[])} into a new array. */
    public synchronized double[] lossAndGradient(TrainRows block, Dataset data, float[] params, int epoch, int step) {
        return lossAndGradient(block, data, params, epoch, step, layout.newArray());
    }

    /** Sets the batch to this block's rows of step (epoch, step); false if it has none. */
    private boolean select(TrainRows rows, Dataset data, int epoch, int step) {
        slice(rows, epoch);
        int from = stepStart[step];
        int to = stepStart[step + 1];
        if (to == from) {
            return false;
        }
        if (rows instanceof ChunkRef ref) {
            chunks.gather(ref, order, from, to, maxStepRows);
            if (step == plan.stepsPerEpoch() - 1) {
                chunks.letGo(); // between epochs, and after the run, a worker holds no chunk
            }
            batch.set(chunks.rows(), null, 0, to - from).globalIds(chunks.ids());
        } else {
            batch.set(data, order, from, to).globalIds(((Block) rows).globalId);
        }
        batch.training(true, plan.dropoutKey(epoch, step));
        return true;
    }

    private double[] finish(double[] out, int step, long t0) {
        out[layout.rows()] = stepStart[step + 1] - stepStart[step];
        out[layout.weight()] = stepStart[step + 1] == stepStart[step] ? 0.0 : batch.weightSum();
        out[layout.computeMs()] = (System.nanoTime() - t0) / 1e6;
        return out;
    }

    /** θ from the floats it was sent in, widened exactly into a buffer this worker keeps. */
    public synchronized double[] widen(float[] theta) {
        if (wide == null || wide.length != theta.length) wide = new double[theta.length];
        for (int i = 0; i < theta.length; i++) wide[i] = theta[i];
        return wide;
    }

    /** Metrics statistics of {@code data} under θ (one array per call: once per epoch, not per step). */
    public synchronized double[] evaluate(Dataset data, double[] params) {
        return evaluator.addTo(Metrics.newStats(net), params, data);
    }

    /**
     * The same over a partition's rows: a whole block, or its chunks read one after the other, with the bits of
     * the stacked block ({@link ChunkPasses}); chunk reads counted in {@code reads} (may be null).
     */
    public synchronized double[] evaluate(TrainRows rows, double[] params, ChunkReads reads) {
        return rows instanceof Block b ? evaluate(b.asDataset(null), params)
                : passes.addTo(Metrics.newStats(net), (ChunkRef) rows, params, reads);
    }

    /** Sorts the partition's rows by their position in the epoch's permutation and cuts them into steps. */
    private void slice(TrainRows rows, int e) {
        if (e == epoch) {
            return;
        }
        int[] perm = plan.permutation(e);
        int[] position = new int[plan.rows];
        for (int i = 0; i < perm.length; i++) position[perm[i]] = i;
        Block block = rows instanceof Block b ? b : null;
        ChunkRef ref = block == null ? (ChunkRef) rows : null;
        int n = block != null ? block.rows() : ref.rows;
        long[] keyed = new long[n];
        for (int r = 0; r < n; r++) {
            keyed[r] = ((long) position[block != null ? block.globalId[r] : ref.globalId(r)] << 32) | r;
        }
        Arrays.sort(keyed);
        order = new int[n];
        stepStart = new int[plan.stepsPerEpoch() + 1];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keyed[i];
            stepStart[(int) (keyed[i] >>> 32) / plan.batchSize + 1]++;
        }
        maxStepRows = 0;
        for (int s = 0; s < plan.stepsPerEpoch(); s++) {
            maxStepRows = Math.max(maxStepRows, stepStart[s + 1]);
            stepStart[s + 1] += stepStart[s];
        }
        epoch = e;
    }
}
