// model.layers and model.input-shape at the config edge: conf/fashion-mnist-cnn.conf's shapes, and one-line
// errors for every misuse (both keys named, the layer's index and both shapes named).
package io.sparkprop.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.LayerKind;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerListTest {
    private static TrainConfig parse(String text) {
        return TrainConfig.from(ConfigFactory.parseString(text));
    }

    private static String error(String text) {
        return assertThrows(UserError.class, () -> parse(text)).getMessage();
    }

    @Test
    void theCnnConfigReadsToItsShapes() {
        TrainConfig cfg = TrainConfig.from(ConfigLoader.load(Path.of("../conf/fashion-mnist-cnn.conf"), List.of()));
        assertEquals(new Shape(1, 28, 28), cfg.inputShape());
        assertEquals(7, cfg.layers().size());
        assertEquals(LayerKind.CONV2D, cfg.layers().get(0).kind());
        assertEquals(1, cfg.layers().get(0).padding()); // same, kernel 3
        assertEquals(Activation.RELU, cfg.layers().get(2).activation());
        assertEquals(2, cfg.layers().get(1).stride()); // stride defaults to the window
        LayerStack s = LayerList.stack(cfg.inputShape(), cfg.layers(), 10);
        assertEquals(new Shape(32, 28, 28), s.shape(1));
        assertEquals(new Shape(32, 14, 14), s.shape(2));
        assertEquals(new Shape(64, 12, 12), s.shape(3));
        assertEquals(new Shape(64, 6, 6), s.shape(4));
        assertEquals(Shape.flat(2304), s.shape(5));
        assertEquals(Shape.flat(10), s.shape(8));
        // conv 32·9 + 32, conv 64·32·9 + 64, dense 128·2304 + 128, output 10·128 + 10
        assertEquals(320 + 18496 + 295040 + 1290, s.layout().size());
    }

    @Test
    void aLayerWithoutAnActivationTakesModelActivation() {
        TrainConfig cfg = parse("model.activation = tanh, model.layers = [{type = dense, units = 4}]");
        assertEquals(Activation.TANH, cfg.layers().get(0).activation());
        assertEquals(null, cfg.inputShape());
    }

    @Test
    void aShapeMismatchNamesTheLayersIndexAndBothShapes() {
        String e = error("model.input-shape = [1, 8, 8], model.layers = [{type = max-pool, size = 2},"
                + " {type = dense, units = 3}]");
        assertTrue(e.startsWith("model.layers: layer 1 (dense): input [1, 4, 4]"), e);
        e = error("model.input-shape = [2, 4, 4], model.layers = [{type = conv2d, filters = 3, kernel = 5}]");
        assertTrue(e.contains("layer 0 (conv2d): input [2, 4, 4]") && e.contains("kernel 5"), e);
        e = error("model.input-shape = [2, 4, 4], model.layers = [{type = conv2d, filters = 3, kernel = 3}]");
        assertTrue(e.contains("the output layer") && e.contains("[3, 2, 2]"), e);
    }

    @Test
    void layersBesideHiddenOrDropoutNameBothKeys() {
        String e = error("model.hidden = [8], model.layers = [{type = dense, units = 4}]");
        assertTrue(e.startsWith("model.hidden:") && e.contains("model.layers"), e);
        e = error("model.dropout = 0.2, model.layers = [{type = dense, units = 4}]");
        assertTrue(e.startsWith("model.dropout:") && e.contains("model.layers"), e);
        e = error("model.input-shape = [1, 2, 2]");
        assertTrue(e.startsWith("model.input-shape:") && e.contains("model.layers"), e);
        e = error("optimizer.name = lbfgs, model.layers = [{type = dropout, rate = 0.2}]");
        assertTrue(e.startsWith("model.layers:") && e.contains("lbfgs"), e);
    }

    @Test
    void badEntriesNameTheirKey() {
        assertTrue(error("model.layers = [{type = conv3d}]").startsWith("model.layers[0].type: expected one of"));
        assertTrue(error("model.layers = [{units = 3}]").startsWith("model.layers[0]: missing type"));
        assertTrue(error("model.layers = [{type = dense, units = 3}, {type = dense, filters = 3}]")
                .startsWith("model.layers[1].filters: not a key of dense"));
        assertTrue(error("model.layers = [{type = dense}]").startsWith("model.layers[0].units: missing"));
        assertTrue(error("model.layers = [{type = conv2d, filters = 2, kernel = 2, padding = same}]")
                .startsWith("model.layers[0].padding: same needs an odd kernel"));
        assertTrue(error("model.layers = [{type = dropout, rate = 1}]").startsWith("model.layers[0].rate:"));
        assertTrue(error("model.layers = [{type = dense, units = 2, activation = swish}]")
                .startsWith("model.layers[0].activation:"));
        assertTrue(error("model.input-shape = [1, 2]").startsWith("model.input-shape:"));
        assertTrue(error("model.layers = [{type = batch-norm, momentum = 1.5}]")
                .startsWith("model.layers[0].momentum: expected a number in [0, 1]"));
        assertTrue(error("model.layers = [{type = batch-norm, epsilon = 0}]")
                .startsWith("model.layers[0].epsilon: expected a number > 0"));
        assertTrue(error("model.layers = [{type = batch-norm, rate = 0.1}]")
                .startsWith("model.layers[0].rate: not a key of batch-norm (it takes epsilon, momentum)"));
    }

    @Test
    void batchNormReadsPyTorchsDefaultsAndKeepsItsShape() {
        TrainConfig cfg = parse("model.input-shape = [3, 4, 4], model.layers = [{type = batch-norm},"
                + " {type = flatten}, {type = batch-norm, momentum = 0.3, epsilon = 1e-3}]");
        assertEquals(0.1, cfg.layers().get(0).momentum());
        assertEquals(1e-5, cfg.layers().get(0).epsilon());
        assertEquals(0.3, cfg.layers().get(2).momentum());
        assertEquals(1e-3, cfg.layers().get(2).epsilon());
        LayerStack s = LayerList.stack(cfg.inputShape(), cfg.layers(), 2);
        assertEquals(new Shape(3, 4, 4), s.shape(1));
        // per channel: γ, β, running mean and variance of 3 channels; per feature after flatten: of 48
        assertEquals(3, s.layout().normChannels(0));
        assertEquals(48, s.layout().normChannels(1));
        assertEquals(4 * 3 + 4 * 48 + 2 * 48 + 2, s.layout().size());
        String e = error("optimizer.name = lbfgs, model.layers = [{type = batch-norm}]");
        assertTrue(e.startsWith("model.layers: a batch-norm layer with optimizer.name = lbfgs"), e);
    }
}
