// trace shows the training step itself: its gradient and updated weights are the local engine's, bit for bit
// (float64 and float32; with batch-norm its running statistics too).
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.kernel.OjAlgoGemm;
import io.sparkprop.trainer.model.InitialWeights;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Updater;

class StepTraceTest {
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    static long[] bits(double[] v) {
        return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 40})
    void traceGradientAndUpdateAreTheTrainingStepsBitForBit(int n) {
        sameAsTheTrainingStep(n, "float64");
    }

    /** A float32 run's trace reads the float workspace (widened) and still equals the engine's step. */
    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void float32TraceIsTheFloat32TrainingStepBitForBit(int n) {
        StepTrace trace = sameAsTheTrainingStep(n, "float32");
        assertTrue(trace.net.float32);
        for (int l = 1; l <= trace.net.depth(); l++) {
            for (double v : trace.z[l]) assertEquals(v, (float) v, "z" + l + " holds floats");
        }
    }

    private static StepTrace sameAsTheTrainingStep(int n, String precision) {
        TrainConfig cfg = TrainConfig.from(ConfigLoader.load(null, List.of("model.hidden=[6, 4]",
                "model.activation=tanh", "model.dropout=0.2", "optimizer.name=adam", "train.batch-size=" + n,
                "train.threads=1", "compute.precision=" + precision)));
        PreparedData data = PreparedData.load(cfg, QUIET);
        StepTrace trace = StepTrace.run(cfg, data, n, new OjAlgoGemm());

        // The training step: the local engine's batch 0 of epoch 0, then the run's updater at global step 0.
        Network net = data.network(cfg);
        BatchPlan plan = new BatchPlan(data.trainRows(), cfg.batchSize(), cfg.seed());
        double[] params = InitialWeights.of(net, cfg.init(), cfg.seed(), cfg.initFile()); // as a fresh run draws them
        assertArrayEquals(bits(params), bits(trace.before), "the same initial weights");
        double[] grad = new double[net.paramCount()];
        double loss;
        try (LocalEngine engine = LocalEngine.on(net, data, plan, OjAlgoGemm::new, 1)) {
            loss = engine.lossAndGradient(params, 0, 0, grad);
        }
        assertEquals(Double.doubleToRawLongBits(loss), Double.doubleToRawLongBits(trace.loss), "loss");
        assertArrayEquals(bits(grad), bits(trace.gradSum), "gradient");
        Updater updater = ConfiguredUpdater.of(cfg, net, plan);
        updater.apply(params, grad, n, 0, Lanes.SERIAL);
        assertArrayEquals(bits(params), bits(trace.after), "weights after the step");
        assertArrayEquals(bits(grad), bits(trace.stepGradient), "the gradient the optimizer was given");

        // What the workspace held is the batch's rows: a[0] is exactly the first rows of the epoch's order.
        int f = data.features();
        for (int i = 0; i < n; i++) {
            double[] row = new double[f];
            data.train.copyRow(plan.permutation(0)[i], row, 0);
            double[] fed = Arrays.copyOfRange(trace.a[0], i * f, (i + 1) * f);
            if (net.float32) {
                for (int j = 0; j < f; j++) row[j] = (float) row[j];
            }
            assertArrayEquals(row, fed);
        }
        return trace;
    }

    /** With batch-norm, θ after trace's step holds the running statistics the engine's step moves them to. */
    @Test
    void aBatchNormTraceEndsWithTheEnginesRunningStatistics() {
        int n = 8;
        TrainConfig cfg = TrainConfig.from(ConfigLoader.load(null, List.of(
                "model.layers=[{type=dense,units=5},{type=batch-norm,momentum=0.5}]", "optimizer.name=adam",
                "train.batch-size=" + n, "train.threads=1")));
        PreparedData data = PreparedData.load(cfg, QUIET);
        StepTrace trace = StepTrace.run(cfg, data, n, new OjAlgoGemm());
        Network net = data.network(cfg);
        BatchPlan plan = new BatchPlan(data.trainRows(), cfg.batchSize(), cfg.seed());
        double[] params = trace.before.clone();
        try (LocalEngine engine = LocalEngine.on(net, data, plan, OjAlgoGemm::new, 1)) {
            assertTrue(Step.take(engine, ConfiguredUpdater.of(cfg, net, plan), plan, params,
                    new double[net.paramCount()], 0, 0, 0L, new double[1], new double[1]));
        }
        int mean = net.layout().bOffset(net.stack.slot(1)) + 2 * 5; // after γ and β of the 5 units
        assertTrue(params[mean] != trace.before[mean], "the step moved the running mean");
        assertArrayEquals(bits(params), bits(trace.after), "θ after the step, running statistics included");
    }

    @Test
    void rowsOutOfRangeAreAUserError() {
        TrainConfig cfg = TrainConfig.defaults();
        PreparedData data = PreparedData.load(cfg, QUIET);
        assertThrows(UserError.class, () -> StepTrace.run(cfg, data, 0, new OjAlgoGemm()));
        assertThrows(UserError.class, () -> StepTrace.run(cfg, data, data.trainRows() + 1, new OjAlgoGemm()));
    }
}
