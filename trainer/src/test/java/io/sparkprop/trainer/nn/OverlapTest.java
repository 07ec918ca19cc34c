// The backward pass's Overlap hook: each slice it reports is final, the slices come last layer first, cover θ.
package io.sparkprop.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;

class OverlapTest {
    static final Dataset DATA = Builtins.spirals(120, 3, 0.2, 4);

    /**
     * A hook that copies each reported slice when it is reported; after the pass every copy must equal the final
     * gradient there (nothing wrote it after the report), the slices must run from P down to 0 without gap, and
     * a pass without the hook must give the same bits.
     */
    @ParameterizedTest(name = "float32: {0}")
    @ValueSource(booleans = {false, true})
    void eachReportedSliceIsFinalAndTheSlicesCoverTheGradientLastLayerFirst(boolean float32) {
        Network net = new Network(new int[] {2, 33, 17, 3}, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.25)
                .withFloat32(float32);
        Dataset d = float32 ? DATA.toFloat32() : DATA;
        int p = net.paramCount();
        double[] params = new double[p];
        Init.HE.fill(net.layout(), params, 3);
        Batch batch = new Batch().set(d, null, 0, 100).training(true, 11);

        Workspace ws = net.newWorkspace(Backend.BLAS.gemm());
        double[] grad = new double[p];
        List<int[]> slices = new ArrayList<>();
        List<double[]> copies = new ArrayList<>();
        ws.setOverlap((from, to) -> {
            slices.add(new int[] {from, to});
            double[] c = new double[to - from];
            for (int i = from; i < to; i++) c[i - from] = float32 ? ws.gradF[i] : grad[i];
            copies.add(c);
        });
        double loss = Objective.lossAndGradient(net, params, batch, ws, grad);

        assertEquals(net.depth(), slices.size(), "one slice per layer");
        int end = p;
        for (int k = 0; k < slices.size(); k++) {
            int[] s = slices.get(k);
            assertEquals(end, s[1], "slice " + k + " ends where the previous began");
            assertTrue(s[0] < s[1]);
            double[] now = new double[s[1] - s[0]];
            for (int i = s[0]; i < s[1]; i++) now[i - s[0]] = float32 ? ws.gradF[i] : grad[i];
            assertArrayEquals(now, copies.get(k), "slice " + k + " changed after it was reported");
            end = s[0];
        }
        assertEquals(0, end, "the slices reach the first weight");

        Workspace plain = net.newWorkspace(Backend.BLAS.gemm());
        double[] expected = new double[p];
        assertEquals(loss, Objective.lossAndGradient(net, params, batch, plain, expected));
        assertArrayEquals(expected, grad, "the hook changes no bit");
        assertTrue(Arrays.stream(grad).anyMatch(g -> g != 0), "a real gradient");
    }
}
