// The in-process engine on a float32 network: close to float64, reproducible per thread count, each call's float
// partial its own, no per-step garbage.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Batch;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Objective;
import io.sparkprop.trainer.nn.Workspace;

class Float32EngineTest {
    static final Dataset DATA = Builtins.spirals(200, 3, 0.2, 4);
    static final Network NET64 = new Network(new int[] {2, 32, 16, 3}, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY,
            0.3);
    static final Network NET32 = NET64.withFloat32(true);

    static double[] gradient(Network net, Dataset data, Backend backend, int threads, double[] lossOut) {
        double[] params = new double[net.paramCount()];
        Init.HE.fill(net.layout(), params, 1);
        double[] grad = new double[params.length];
        BatchPlan plan = new BatchPlan(DATA.rows, 256, 2);
        try (LocalEngine e = new LocalEngine(net, data, null, null, plan, () -> backend.gemm(), threads)) {
            lossOut[0] = e.lossAndGradient(params, 1, 1, grad);
        }
        return grad;
    }

    @Test
    void float32GradientIsFloat64sUpToSinglePrecision() {
        for (Backend backend : new Backend[] {Backend.OJALGO, Backend.BLAS}) {
            double[] l64 = new double[1];
            double[] l32 = new double[1];
            double[] g64 = gradient(NET64, DATA, backend, 1, l64);
            double[] g32 = gradient(NET32, DATA.toFloat32(), backend, 1, l32);
            assertEquals(l64[0], l32[0], 1e-5 * l64[0], backend.id());
            assertFalse(Arrays.equals(g64, g32), backend + ": the float32 network must compute in float");
            double scale = Arrays.stream(g64).map(Math::abs).max().orElseThrow();
            for (int i = 0; i < g64.length; i++) {
                assertEquals(g64[i], g32[i], 1e-4 * scale, backend + " gradient " + i);
            }
        }
    }

    @Test
    void aFixedThreadCountIsBitwiseReproducibleAndThreadsAgreeUpToRounding() {
        double[] a = new double[1];
        double[] b = new double[1];
        double[] one = new double[1];
        double[] g3 = gradient(NET32, DATA.toFloat32(), Backend.OJALGO, 3, a);
        assertArrayEquals(g3, gradient(NET32, DATA.toFloat32(), Backend.OJALGO, 3, b));
        assertEquals(a[0], b[0]);
        double[] g1 = gradient(NET32, DATA.toFloat32(), Backend.OJALGO, 1, one);
        double scale = Arrays.stream(g1).map(Math::abs).max().orElseThrow();
        for (int i = 0; i < g1.length; i++) assertEquals(g1[i], g3[i], 1e-5 * scale, "gradient " + i);
    }

    /**
     * The threads' float partials are widened only when they are added: the same bits as widening each into a
     * zeroed double sum and adding those in thread order, signed zeros included.
     */
    @Test
    void twoThreadsSumTheirFloatPartialsAsTwoZeroedDoubleSumsWould() {
        Dataset data = DATA.toFloat32();
        double[] loss = new double[1];
        double[] g2 = gradient(NET32, data, Backend.BLAS, 2, loss);
        double[] params = new double[NET32.paramCount()];
        Init.HE.fill(NET32.layout(), params, 1);
        BatchPlan plan = new BatchPlan(DATA.rows, 256, 2);
        int[] perm = plan.permutation(1);
        int from = plan.batchStart(1);
        int to = plan.batchEnd(1);
        double[] expected = new double[params.length];
        double expectedLoss = 0;
        for (int t = 0; t < 2; t++) {
            double[] part = new double[params.length];
            Batch b = new Batch().set(data, perm, from + (to - from) * t / 2, from + (to - from) * (t + 1) / 2)
                    .training(true, plan.dropoutKey(1, 1));
            expectedLoss += Objective.lossAndGradient(NET32, params, b, NET32.newWorkspace(Backend.BLAS.gemm()),
                    part);
            for (int i = 0; i < part.length; i++) expected[i] = t == 0 ? part[i] : expected[i] + part[i];
        }
        assertArrayEquals(expected, g2);
        assertEquals(expectedLoss, loss[0]);
    }

    /**
     * The threads read θ as floats the engine rounds once per step: a second step on a changed θ gives what a
     * fresh engine gives on that θ, so no thread computes on the floats of the step before.
     */
    @Test
    void twoThreadsComputeOnEachStepsTheta() {
        Dataset data = DATA.toFloat32();
        BatchPlan plan = new BatchPlan(DATA.rows, 256, 2);
        double[] params = new double[NET32.paramCount()];
        Init.HE.fill(NET32.layout(), params, 1);
        double[] next = params.clone();
        for (int i = 0; i < next.length; i++) next[i] *= 0.5;
        double[] again = new double[params.length];
        double[] fresh = new double[params.length];
        try (LocalEngine used = new LocalEngine(NET32, data, null, null, plan, () -> Backend.BLAS.gemm(), 2);
             LocalEngine other = new LocalEngine(NET32, data, null, null, plan, () -> Backend.BLAS.gemm(), 2)) {
            used.lossAndGradient(params, 1, 1, new double[params.length]);
            double loss = used.lossAndGradient(next, 1, 1, again);
            assertEquals(other.lossAndGradient(next, 1, 1, fresh), loss);
        }
        assertArrayEquals(fresh, again);
    }

    /** Both precisions and both kernels: after the buffers have grown, a step allocates nothing. */
    @Test
    void aStepAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Network net : new Network[] {NET32, NET64}) {
            Dataset d = net.float32 ? DATA.toFloat32() : DATA;
            double[] params = new double[net.paramCount()];
            Init.HE.fill(net.layout(), params, 1);
            double[] grad = new double[params.length];
            for (Backend backend : new Backend[] {Backend.BLAS, Backend.OJALGO}) {
                Workspace ws = net.newWorkspace(backend.gemm());
                Batch batch = new Batch().set(d, null, 0, 128).training(true, 7);
                for (int i = 0; i < 50; i++) Objective.lossAndGradient(net, params, batch, ws, grad); // grow, warm
                long tid = Thread.currentThread().getId();
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 100; i++) Objective.lossAndGradient(net, params, batch, ws, grad);
                long bytes = mx.getThreadAllocatedBytes(tid) - before;
                // Under 1 KB in all: any per-step object (16 bytes or more) would add up to 1.6 KB or more.
                assertTrue(bytes < 1024, net + " " + backend + ": 100 steps allocated " + bytes + " bytes");
            }
        }
    }

    /**
     * The float pass writes each layer's slice of its float partial instead of zeroing it first: a second call
     * on the same workspace must give exactly what a fresh workspace gives, with nothing left of the first.
     */
    @Test
    void aCallsFloatPartialHoldsNothingOfThePreviousCall() {
        Dataset d = DATA.toFloat32();
        float[] params = floats(heParams(NET32));
        for (Backend backend : new Backend[] {Backend.BLAS, Backend.OJALGO}) {
            Workspace used = NET32.newWorkspace(backend.gemm());
            Objective.lossAndFloatGradient(NET32, params, new Batch().set(d, null, 0, 64).training(true, 7), used);
            Batch second = new Batch().set(d, null, 64, 128).training(true, 7);
            Objective.lossAndFloatGradient(NET32, params, second, used);
            Workspace fresh = NET32.newWorkspace(backend.gemm());
            Objective.lossAndFloatGradient(NET32, params, second, fresh);
            assertArrayEquals(fresh.floatGradient(), used.floatGradient(), backend.id());
        }
    }

    /**
     * The entry point an engine calls with θ already rounded (once per step, or as it came over the wire) gives
     * the loss and, widened, the gradient of the double entry point that rounds θ itself, bit for bit.
     */
    @Test
    void floatThetaGivesTheBitsOfTheDoubleEntryPoint() {
        Dataset d = DATA.toFloat32();
        double[] params = heParams(NET32);
        for (int i = 0; i < params.length; i++) params[i] += 1e-9 * (i % 7); // not float values: rounding shows
        for (Backend backend : new Backend[] {Backend.BLAS, Backend.OJALGO}) {
            Batch batch = new Batch().set(d, null, 0, 96).training(true, 7);
            double[] grad = new double[params.length];
            double loss = Objective.lossAndGradient(NET32, params, batch, NET32.newWorkspace(backend.gemm()),
                    grad);
            Workspace ws = NET32.newWorkspace(backend.gemm());
            double lossF = Objective.lossAndFloatGradient(NET32, floats(params), batch, ws);
            double[] widened = new double[params.length];
            for (int i = 0; i < widened.length; i++) widened[i] = 0.0 + ws.floatGradient()[i];
            assertEquals(loss, lossF, backend.id());
            assertArrayEquals(grad, widened, backend.id());
        }
    }

    private static double[] heParams(Network net) {
        double[] params = new double[net.paramCount()];
        Init.HE.fill(net.layout(), params, 1);
        return params;
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }
}
