// The passes' Overlap hooks: each gradient slice reported is final, last layer first, covering θ; and no pass
// reads a slice of θ before it asked for it.
package io.sparkprop.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * θ starts as NaN and the hook copies the real values in only as far as each paramsNeeded(to) asks (as a
     * barrier task receiving θ would have them): a pass that read any value before asking for it would give a
     * NaN loss or gradient, so equal bits to a pass on the whole θ prove it asks first. The requests must grow,
     * ask for layer 0's slice before the rest (dense), and end with all of θ.
     */
    @ParameterizedTest(name = "float32: {0}, layer list: {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void aPassReadsNoSliceOfThetaBeforeAskingForIt(boolean float32, boolean layerList) {
        Network net = layerList
                ? new Network(new LayerStack(Shape.flat(2), List.of(LayerSpec.dense(9, Activation.TANH),
                        LayerSpec.dense(5, Activation.TANH)), 3), Activation.TANH, Output.SOFTMAX,
                        Loss.SOFTMAX_CROSS_ENTROPY, true, float32)
                : new Network(new int[] {2, 33, 17, 3}, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.25)
                        .withFloat32(float32);
        Dataset d = float32 ? DATA.toFloat32() : DATA;
        int p = net.paramCount();
        double[] params = new double[p];
        Init.HE.fill(net.layout(), params, 3);
        Batch batch = new Batch().set(d, null, 0, 100).training(true, 11);

        Workspace plain = net.newWorkspace(Backend.BLAS.gemm());
        double[] expected = new double[p];
        double expectedLoss = gradient(net, params, batch, plain, expected, float32);

        double[] arriving = new double[p];
        Arrays.fill(arriving, Double.NaN);
        List<Integer> asked = new ArrayList<>();
        Workspace ws = net.newWorkspace(Backend.BLAS.gemm());
        float[] arrivingF = float32 ? new float[p] : null;
        if (float32) Arrays.fill(arrivingF, Float.NaN);
        ws.setOverlap(new Overlap() {
            @Override
            public void gradientReady(int from, int to) {
            }

            @Override
            public void paramsNeeded(int to) {
                int from = asked.isEmpty() ? 0 : asked.get(asked.size() - 1);
                asked.add(to);
                for (int i = from; i < to; i++) {
                    arriving[i] = params[i];
                    if (arrivingF != null) arrivingF[i] = (float) params[i];
                }
            }
        });
        double[] grad = new double[p];
        double loss = float32 ? widened(Objective.lossAndFloatGradient(net, arrivingF, batch, ws), ws, grad)
                : Objective.lossAndGradient(net, arriving, batch, ws, grad);

        assertEquals(expectedLoss, loss, "the loss's bits");
        assertArrayEquals(expected, grad, "the gradient's bits");
        assertTrue(Arrays.stream(grad).anyMatch(g -> g != 0), "a real gradient");
        assertEquals(p, (int) asked.get(asked.size() - 1), "all of θ before the backward pass");
        for (int k = 1; k < asked.size(); k++) {
            assertTrue(asked.get(k) >= asked.get(k - 1), "requests never shrink: " + asked);
        }
        if (!layerList) {
            assertEquals(net.layout().wOffset(1), (int) asked.get(0), "layer 0's slice first: " + asked);
        }
    }

    /** The double entry point's gradient, or under float32 the float pass on θ rounded once, widened. */
    private static double gradient(Network net, double[] params, Batch batch, Workspace ws, double[] grad,
                                   boolean float32) {
        if (!float32) {
            return Objective.lossAndGradient(net, params, batch, ws, grad);
        }
        float[] f = new float[params.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) params[i];
        return widened(Objective.lossAndFloatGradient(net, f, batch, ws), ws, grad);
    }

    private static double widened(double loss, Workspace ws, double[] grad) {
        float[] g = ws.floatGradient();
        for (int i = 0; i < g.length; i++) grad[i] = g[i];
        return loss;
    }
}
