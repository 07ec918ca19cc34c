// The in-process engine: the reference every other engine is compared with.
package io.sparkprop.trainer.train;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Gemm;
import io.sparkprop.trainer.nn.Batch;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Objective;
import io.sparkprop.trainer.nn.Workspace;

/**
 * One workspace, one kernel; the kernel itself may use several threads (OpenBLAS or ojAlgo's pool).
 * The epoch's permutation is computed once per epoch and reused for its steps.
 */
public final class LocalEngine implements Engine {
    private final Network net;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final BatchPlan plan;
    private final Workspace ws;
    private final Evaluator evaluator;
    private final Batch batch = new Batch();
    private int permEpoch = -1;
    private int[] perm;

    public LocalEngine(Network net, Dataset train, Dataset validation, Dataset test, BatchPlan plan, Gemm gemm) {
        this.net = net;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.plan = plan;
        this.ws = net.newWorkspace(gemm);
        this.evaluator = new Evaluator(net, ws);
    }

    @Override
    public double lossAndGradient(double[] params, int epoch, int step, double[] gradSum) {
        if (epoch != permEpoch) {
            perm = plan.permutation(epoch);
            permEpoch = epoch;
        }
        batch.set(train, perm, plan.batchStart(step), plan.batchEnd(step))
                .training(true, plan.dropoutKey(epoch, step));
        return Objective.lossAndGradient(net, params, batch, ws, gradSum);
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
        return ws.gemm().name();
    }
}
