// The layer types against PyTorch: forward output, loss, input and parameter gradients and one Adam step, from
// the weights in reference/layers-torch.json (written by scripts/reference/torch_layers.py in float64); batch-norm's
// running statistics after the training pass, and its evaluation-mode outputs.
package io.sparkprop.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import io.sparkprop.trainer.config.LayerList;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.BlasGemm;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;

class LayerTorchReferenceTest {
    static Config reference() {
        var in = LayerTorchReferenceTest.class.getResourceAsStream("/reference/layers-torch.json");
        return ConfigFactory.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    static double[] doubles(Config c, String key) {
        return c.getDoubleList(key).stream().mapToDouble(Double::doubleValue).toArray();
    }

    static void close(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(want[i] - got[i]) <= tol * Math.max(1, Math.abs(want[i])),
                    what + "[" + i + "]: torch " + want[i] + ", sparkprop " + got[i]);
        }
    }

    /** float64 within 1e-9 (and one Adam step); float32 within 1e-4 of PyTorch's float64. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyCaseMatchesPyTorch(boolean float32) {
        double tol = float32 ? 1e-4 : 1e-9;
        Config ref = reference();
        int classes = ref.getInt("classes");
        Set<LayerKind> seen = new HashSet<>();
        int evalChecked = 0;
        for (Config c : ref.getConfigList("cases")) {
            String name = c.getString("name") + (float32 ? " float32" : "");
            List<Integer> s = c.getIntList("input_shape");
            List<LayerSpec> layers = LayerList.read("layers", c.getValue("layers"), Activation.IDENTITY);
            layers.forEach(l -> seen.add(l.kind()));
            Shape shape = new Shape(s.get(0), s.get(1), s.get(2));
            Categorical cats = c.hasPath("categorical") ? new Categorical(
                    c.getIntList("categorical.slots").stream().mapToInt(Integer::intValue).toArray(),
                    c.getIntList("categorical.cardinalities").stream().mapToInt(Integer::intValue).toArray(),
                    List.of("a", "b")) : Categorical.NONE;
            Network net = new Network(new LayerStack(shape, layers, classes, cats), Activation.IDENTITY,
                    Output.SOFTMAX, Loss.SOFTMAX_CROSS_ENTROPY, true, float32);
            double[] x = doubles(c, "x");
            double[] y = doubles(c, "y");
            int rows = y.length;
            Dataset data = new Dataset(rows, shape.size(), 1, x, y, List.of("0", "1", "2"));
            double[] params = doubles(c, "params");
            assertEquals(net.paramCount(), params.length, name);

            Workspace ws = net.newWorkspace(new BlasGemm());
            ws.setWantInputGradient(true);
            double[] grad = new double[params.length];
            // training mode: batch-norm normalises with the batch's statistics (no case has a dropout layer)
            Batch batch = new Batch().set(data, null, 0, rows).training(true, 0);
            double loss = Objective.lossAndGradient(net, params, batch, ws, grad);
            close(new double[]{c.getDouble("loss")}, new double[]{loss}, tol, name + " loss");
            close(doubles(c, "predictions"), java.util.Arrays.copyOf(ws.predictions(rows), rows * classes), tol,
                    name + " predictions");
            close(doubles(c, "input_grad"), java.util.Arrays.copyOf(ws.inputGradient(rows), x.length), tol,
                    name + " input gradient");
            close(doubles(c, "grad"), grad, tol, name + " gradient");

            if (float32) {
                continue; // Adam runs in double either way; its first step is ±lr where |g| ≫ ε, so float32's
                          // rounding of a near-zero gradient could flip a sign: compared in float64 only
            }
            Updater adam = new Updater(OptimizerKind.ADAM.create(params.length, net.layout(), 0.9, 0.0),
                    Schedule.of(ScheduleSpec.constant(0.01), 1, 1), net.layout(), 0.0, 0.0);
            adam.apply(params, grad, rows, 0, Lanes.SERIAL);
            RunningStatistics.update(net, params, ws); // as an engine does after each step
            close(doubles(c, "adam_params"), params, tol, name + " after one Adam step (and running statistics)");
            if (c.hasPath("eval_predictions")) {
                Objective.loss(net, params, batch.training(false, 0), ws);
                close(doubles(c, "eval_predictions"), java.util.Arrays.copyOf(ws.predictions(rows), rows * classes),
                        tol, name + " evaluation-mode predictions");
                evalChecked++;
            }
        }
        assertEquals(Set.of(LayerKind.CONV2D, LayerKind.MAX_POOL, LayerKind.AVG_POOL, LayerKind.FLATTEN,
                LayerKind.DENSE, LayerKind.BATCH_NORM, LayerKind.LAYER_NORM, LayerKind.EMBEDDING), seen,
                "every weighted or shaping layer type has a reference case");
        if (!float32) {
            assertEquals(3, evalChecked, "each batch-norm case checks its evaluation mode");
        }
    }
}
