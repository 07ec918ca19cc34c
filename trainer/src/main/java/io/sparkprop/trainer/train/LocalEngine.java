// The in-process engine: the reference every other engine is compared with; splits large batches over threads.
package io.sparkprop.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Gemm;
import io.sparkprop.trainer.nn.Batch;
import io.sparkprop.trainer.nn.RunningStatistics;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Objective;
import io.sparkprop.trainer.nn.Workspace;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Updater;

/**
 * With T threads (train.threads), a global batch of at least {@link #MIN_ROWS_PER_THREAD}·T rows is cut into
 * T contiguous chunks; each thread runs {@link Objective#lossAndGradient} with its own workspace and single-
 * threaded kernel, and the partial sums are added in chunk order — the Spark engine's scheme in one JVM,
 * so results are reproducible for a fixed T. Smaller batches run on the calling thread. Between the products
 * the same threads share the elementwise work by ranges of θ (under float32 rounding θ once for all threads,
 * summing the partials, the update), which changes no bit. With weighted rows the threads' Σw are added in
 * the same order and are the step's divisor ({@link #lastWeightSum}). A batch-norm layer's sums cross the threads
 * mid-pass ({@link ThreadSums}, added in thread order too), so it normalises with the global batch's statistics;
 * after each update {@link #stepped} moves its running statistics, from thread 0's copy of those sums.
 */
public final class LocalEngine implements Engine, Step.Sums {
    /** Below this many rows per thread the hand-off costs more than the products save. */
    static final int MIN_ROWS_PER_THREAD = 32;

    private final Network net;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final BatchPlan plan;
    private final Worker[] workers;
    private final ExecutorService pool;
    private final Evaluator evaluator;
    private final double[] grad;
    private int permEpoch = -1;
    private int[] perm;
    /** The update's loops on the workers' threads for networks large enough to gain from it, else serial. */
    private final Lanes lanes;
    private final Lanes.Body addPartials = this::addPartials;
    private int partials;
    private double[] sumOut;
    /** float32: θ rounded once per step for all threads (on the lanes), which they read as their θ. */
    private final float[] thetaF;
    private double[] thetaIn;
    private final Lanes.Body roundTheta = this::roundTheta;
    /** Σ w of the last batch (threads' sums added in thread order), or NaN for an unweighted table. */
    private double lastWeight = Double.NaN;
    /** batch-norm's exchange for t threads at [t] (made on first use; null without batch-norm). */
    private final ThreadSums[] exchanges;

    public LocalEngine(Network net, Dataset train, Dataset validation, Dataset test, BatchPlan plan,
                       Supplier<Gemm> kernels, int threads) {
        this.net = net;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.plan = plan;
        int t = Math.max(1, threads);
        this.workers = new Worker[t];
        for (int i = 0; i < t; i++) workers[i] = new Worker(net.newWorkspace(kernels.get()), net.paramCount());
        this.pool = t > 1 ? Executors.newFixedThreadPool(t - 1, r -> {
            Thread th = new Thread(r, "sparkprop-local");
            th.setDaemon(true);
            return th;
        }) : null;
        this.lanes = new PoolLanes(pool, t).forParams(net.paramCount());
        this.evaluator = new Evaluator(net, workers[0].ws);
        this.grad = new double[net.paramCount()];
        this.thetaF = net.float32 ? new float[net.paramCount()] : null;
        this.exchanges = net.stack != null && net.stack.hasBatchNorm() ? new ThreadSums[t + 1] : null;
    }

    /** The engine over data held on the driver ({@link PreparedData}, the only kind a local engine can use). */
    public static LocalEngine on(Network net, TrainingData data, BatchPlan plan, Supplier<Gemm> kernels,
                                 int threads) {
        PreparedData d = (PreparedData) data;
        return new LocalEngine(net, d.train, d.validation, d.test, plan, kernels, threads);
    }

    @Override
    public EpochSteps trainEpoch(double[] params, Updater updater, int epoch, long globalStep) {
        return Step.epoch(this, updater, plan, params, grad, epoch, globalStep, lanes);
    }

    @Override
    public double lossAndGradient(double[] params, int epoch, int step, double[] gradSum) {
        if (epoch != permEpoch) {
            perm = plan.permutation(epoch);
            permEpoch = epoch;
        }
        int from = plan.batchStart(step);
        int to = plan.batchEnd(step);
        long key = plan.dropoutKey(epoch, step);
        int t = Math.min(workers.length, Math.max(1, (to - from) / MIN_ROWS_PER_THREAD));
        if (t == 1) {
            workers[0].ws.setBatchSums(null);
            workers[0].batch.set(train, perm, from, to).training(true, key);
            lastWeight = train.weighted() ? workers[0].batch.weightSum() : Double.NaN;
            return Objective.lossAndGradient(net, params, workers[0].batch, workers[0].ws, gradSum);
        }
        if (thetaF != null) {
            thetaIn = params;
            lanes.run(thetaF.length, roundTheta);
            thetaIn = null;
        }
        ThreadSums exchange = exchange(t);
        List<Future<Double>> parts = new ArrayList<>(t - 1);
        for (int i = 1; i < t; i++) {
            Worker w = workers[i];
            int shard = i;
            int a = from + (int) ((long) (to - from) * i / t);
            int b = from + (int) ((long) (to - from) * (i + 1) / t);
            parts.add(pool.submit(() -> w.run(net, params, thetaF, train, perm, a, b, key, exchange, shard)));
        }
        double loss = workers[0].run(net, params, thetaF, train, perm, from, from + (to - from) / t, key, exchange,
                0);
        for (int i = 1; i < t; i++) {
            loss += await(parts.get(i - 1));
        }
        if (train.weighted()) {
            double wsum = workers[0].batch.weightSum();
            for (int i = 1; i < t; i++) wsum += workers[i].batch.weightSum();
            lastWeight = wsum;
        } else {
            lastWeight = Double.NaN;
        }
        partials = t;
        sumOut = gradSum;
        lanes.run(gradSum.length, addPartials);
        sumOut = null;
        return loss;
    }

    /** The threads' batch-norm exchange for t threads, or null when the network has no batch-norm layer. */
    private ThreadSums exchange(int t) {
        if (exchanges == null) {
            return null;
        }
        if (exchanges[t] == null) {
            exchanges[t] = new ThreadSums(t);
        }
        return exchanges[t];
    }

    @Override
    public void stepped(double[] params) {
        RunningStatistics.update(net, params, workers[0].ws);
    }

    @Override
    public double lastWeightSum() {
        return lastWeight;
    }

    /**
     * gradSum[from, to) ← ((g₀ + g₁) + g₂) + … over the threads' partials, in thread order. Two partials (the
     * usual case) are added in one pass over gradSum; more take one pass each.
     */
    private void addPartials(int from, int to) {
        double[] out = sumOut;
        int t = partials;
        if (workers[0].ws.isFloat32()) {
            // Widened here, once: each partial as 0.0 + g, the bits of a zeroed double sum it was added to.
            float[] g0 = workers[0].ws.floatGradient();
            if (t == 2) {
                float[] g1 = workers[1].ws.floatGradient();
                for (int j = from; j < to; j++) out[j] = (0.0 + g0[j]) + (0.0 + g1[j]);
                return;
            }
            for (int j = from; j < to; j++) out[j] = 0.0 + g0[j];
            for (int i = 1; i < t; i++) {
                float[] g = workers[i].ws.floatGradient();
                for (int j = from; j < to; j++) out[j] += 0.0 + g[j];
            }
            return;
        }
        double[] g0 = workers[0].grad;
        if (t == 2) {
            double[] g1 = workers[1].grad;
            for (int j = from; j < to; j++) out[j] = g0[j] + g1[j];
            return;
        }
        System.arraycopy(g0, from, out, from, to - from);
        for (int i = 1; i < t; i++) {
            double[] g = workers[i].grad;
            for (int j = from; j < to; j++) out[j] += g[j];
        }
    }

    private void roundTheta(int from, int to) {
        double[] w = thetaIn;
        float[] f = thetaF;
        for (int i = from; i < to; i++) f[i] = (float) w[i];
    }

    private static double await(Future<Double> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public double[] evaluate(double[] params, Split split) {
        Dataset d = switch (split) {
            case TRAIN -> train;
            case VALIDATION -> validation;
            case TEST -> test;
        };
        return d == null || d.rows == 0 ? null : evaluator.addTo(Metrics.newStats(net), params, d);
    }

    @Override
    public BatchPlan plan() {
        return plan;
    }

    @Override
    public String backend() {
        return workers[0].ws.gemm().name();
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** One thread's workspace, batch view and private gradient buffer. */
    private static final class Worker {
        final Workspace ws;
        final Batch batch = new Batch();
        final double[] grad;

        Worker(Workspace ws, int params) {
            this.ws = ws;
            this.grad = ws.isFloat32() ? null : new double[params];
        }

        /**
         * This thread's rows [from, to): θ as doubles, or (float32) as the step's rounded floats thetaF; shard i of
         * the batch-norm exchange (null: none).
         */
        double run(Network net, double[] params, float[] thetaF, Dataset data, int[] perm, int from, int to,
                   long key, ThreadSums exchange, int i) {
            if (exchange == null) {
                return run(net, params, thetaF, data, perm, from, to, key);
            }
            ws.setBatchSums(exchange.shard(i));
            try {
                return run(net, params, thetaF, data, perm, from, to, key);
            } catch (RuntimeException | Error e) {
                exchange.abort(); // the other threads would wait for this one forever
                throw e;
            }
        }

        private double run(Network net, double[] params, float[] thetaF, Dataset data, int[] perm, int from, int to,
                           long key) {
            batch.set(data, perm, from, to).training(true, key);
            // float32: the partial stays float until the threads' partials are added (addPartials widens it).
            if (ws.isFloat32()) {
                return Objective.lossAndFloatGradient(net, thetaF, batch, ws);
            }
            java.util.Arrays.fill(grad, 0.0);
            return Objective.lossAndGradient(net, params, batch, ws, grad);
        }
    }
}
