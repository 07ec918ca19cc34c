// The threaded in-process engine adds the same gradient as one thread, up to rounding.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;

class LocalEngineTest {
    static final Dataset DATA = Builtins.spirals(200, 3, 0.2, 4);
    static final Network NET = new Network(new int[] {2, 32, 3}, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY, 0.3);

    static double[] gradient(int threads, double[] lossOut) {
        return gradient(DATA, threads, lossOut);
    }

    static double[] gradient(Dataset data, int threads, double[] lossOut) {
        double[] params = new double[NET.paramCount()];
        Init.HE.fill(NET.layout(), params, 1);
        double[] grad = new double[params.length];
        BatchPlan plan = new BatchPlan(DATA.rows, 256, 2);
        try (LocalEngine e = new LocalEngine(NET, data, null, null, plan, () -> Backend.OJALGO.gemm(), threads)) {
            lossOut[0] = e.lossAndGradient(params, 1, 1, grad);
        }
        return grad;
    }

    @Test
    void fourThreadsAgreeWithOne() {
        double[] l1 = new double[1];
        double[] l4 = new double[1];
        double[] g1 = gradient(1, l1);
        double[] g4 = gradient(4, l4);
        assertEquals(l1[0], l4[0], 1e-10 * l1[0]);
        assertArrayEquals(g1, g4, 1e-10);
    }

    @Test
    void float32FeaturesOnlyRoundTheInputs() {
        double[] l32 = new double[1];
        double[] lRounded = new double[1];
        double[] l64 = new double[1];
        // On a float64 network widening is exact and the arithmetic stays double: the same bits as double data
        // rounded beforehand (a float32 network computes in float: Float32EngineTest).
        assertArrayEquals(gradient(DATA.toFloat32().toFloat64(), 2, lRounded), gradient(DATA.toFloat32(), 2, l32));
        assertEquals(lRounded[0], l32[0]);
        double[] g64 = gradient(DATA, 2, l64);
        assertEquals(l64[0], l32[0], 1e-6 * l64[0]);
        double[] g32 = gradient(DATA.toFloat32(), 2, l32);
        for (int i = 0; i < g64.length; i++) assertEquals(g64[i], g32[i], 1e-5 * Math.max(1, Math.abs(g64[i])));
    }

    @Test
    void aFixedThreadCountIsReproducible() {
        double[] a = new double[1];
        double[] b = new double[1];
        assertArrayEquals(gradient(3, a), gradient(3, b));
        assertEquals(a[0], b[0]);
    }

    @Test
    void thePlanCoversEveryRowOncePerEpoch() {
        BatchPlan plan = new BatchPlan(103, 10, 9);
        int[] seen = new int[103];
        int[] perm = plan.permutation(4);
        for (int s = 0; s < plan.stepsPerEpoch(); s++) {
            for (int i = plan.batchStart(s); i < plan.batchEnd(s); i++) seen[perm[i]]++;
        }
        for (int c : seen) assertEquals(1, c);
        assertEquals(11, plan.stepsPerEpoch());
        assertArrayEquals(plan.permutation(4), new BatchPlan(103, 10, 9).permutation(4));
    }
}
