// A layer-list model saves as sparkprop-model/2 and loads back to the same layers, predictions and weights;
// dense models keep format 1; model.json counts trainable parameters, batch-norm's running statistics apart.
package io.sparkprop.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.trainer.export.OnnxDtype;
import io.sparkprop.trainer.export.OnnxExport;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.nn.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerListModelTest {
    @TempDir
    Path dir;

    private static Model model(Network net) {
        double[] p = new double[net.paramCount()];
        Init.HE.fill(net.layout(), p, 3);
        return new Model(net, p, "none", new double[0], new double[0], List.of("a", "b", "c"), "", null);
    }

    @Test
    void aLayerListRoundTripsAsFormat2() throws Exception {
        List<LayerSpec> layers = List.of(LayerSpec.conv2d(3, 3, 1, 1, Activation.RELU), LayerSpec.maxPool(2, 2),
                LayerSpec.avgPool(2, 1), LayerSpec.flatten(), LayerSpec.dense(5, Activation.TANH),
                LayerSpec.dropout(0.25));
        Network net = new Network(new LayerStack(new Shape(2, 6, 6), layers, 3), Activation.RELU, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, false);
        Model m = model(net);
        ModelIO.save(m, dir.resolve("m"));
        assertTrue(Files.readString(dir.resolve("m/model.json")).contains(ModelIO.FORMAT_LAYERS));
        Model back = ModelIO.load(dir.resolve("m"));
        assertTrue(back.net().isLayerList());
        assertEquals(layers, back.net().stack.hidden());
        assertEquals(new Shape(2, 6, 6), back.net().stack.shape(0));
        assertArrayEquals(m.params(), back.params());
        assertArrayEquals(net.sizes(), back.net().sizes());
    }

    @Test
    void batchNormKeepsItsKeysAndRunningStatisticsAndExportsThemToOnnx() throws Exception {
        List<LayerSpec> layers = List.of(LayerSpec.conv2d(2, 3, 1, 1, Activation.RELU),
                LayerSpec.batchNorm(0.25, 1e-3), LayerSpec.flatten(), LayerSpec.batchNorm(0.1, 1e-5));
        Network net = new Network(new LayerStack(new Shape(1, 4, 4), layers, 3), Activation.RELU, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, false);
        Model m = model(net);
        int c = net.layout().normChannels(1);
        int running = net.layout().bOffset(1) + 2 * c;
        assertEquals(0.0, m.params()[running], "Init starts the running mean at 0");
        assertEquals(1.0, m.params()[running + c], "and the running variance at 1");
        m.params()[running] = 0.375; // as if a step had moved them
        m.params()[running + c] = 2.5;
        ModelIO.save(m, dir.resolve("bn"));
        Model back = ModelIO.load(dir.resolve("bn"));
        assertEquals(layers, back.net().stack.hidden(), "momentum and epsilon come back");
        assertArrayEquals(m.params(), back.params(), "the running statistics are saved with the weights");
        // the loaded running statistics are what the exported BatchNormalization normalises with
        float mean = OnnxExport.build(back, OnnxDtype.FLOAT32).getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("layer1.mean")).findFirst().orElseThrow().getRawData()
                .asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(0);
        assertEquals(0.375f, mean);
    }

    @Test
    void modelJsonCountsTrainableParametersAndTheRunningStatisticsApart() throws Exception {
        List<LayerSpec> layers = List.of(LayerSpec.conv2d(2, 3, 1, 1, Activation.RELU),
                LayerSpec.batchNorm(0.1, 1e-5), LayerSpec.flatten(), LayerSpec.batchNorm(0.1, 1e-5));
        Network net = new Network(new LayerStack(new Shape(1, 4, 4), layers, 3), Activation.RELU, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, false);
        // PyTorch's sum(p.numel() for p in net.parameters()): Conv2d(1, 2, 3) weight and bias, BatchNorm2d(2) and
        // BatchNorm1d(32) weight and bias, Linear(32, 3); its buffers: each batch-norm's running mean and var
        int trainable = (2 * 1 * 3 * 3 + 2) + 2 * 2 + 2 * 32 + (32 * 3 + 3);
        int buffers = 2 * 2 + 2 * 32;
        assertEquals(trainable, net.trainableCount());
        assertEquals(buffers, net.runningStatisticsCount());
        assertEquals(trainable + buffers, net.paramCount(), "θ still carries the running statistics");
        ModelIO.save(model(net), dir.resolve("bn"));
        Config json = ConfigFactory.parseFile(dir.resolve("bn/model.json").toFile());
        assertEquals(trainable, json.getInt("parameters"));
        assertEquals(buffers, json.getInt("running_statistics"));
        assertEquals(8L * (trainable + buffers), Files.size(dir.resolve("bn/weights.bin")));
        assertEquals(String.format("%,d parameters + %,d running statistics", trainable, buffers), net.countText());
    }

    @Test
    void aDenseModelStaysFormat1() throws Exception {
        Network net = new Network(new int[]{4, 3, 3}, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY, 0.0);
        ModelIO.save(model(net), dir.resolve("d"));
        assertTrue(Files.readString(dir.resolve("d/model.json")).contains("\"" + ModelIO.FORMAT + "\""));
        assertTrue(!ModelIO.load(dir.resolve("d")).net().isLayerList());
        Config json = ConfigFactory.parseFile(dir.resolve("d/model.json").toFile());
        assertEquals((4 * 3 + 3) + (3 * 3 + 3), json.getInt("parameters"));
        assertTrue(!json.hasPath("running_statistics"), "no batch-norm, no running statistics");
    }
}
