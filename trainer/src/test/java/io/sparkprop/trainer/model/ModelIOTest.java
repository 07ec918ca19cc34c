// Model files round-trip exactly, and any damage to the weights is caught by the checksum.
package io.sparkprop.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.kernel.OjAlgoGemm;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;

class ModelIOTest {
    @TempDir
    Path tmp;

    static Model model() {
        Network net = new Network(new int[] {2, 5, 3}, Activation.LEAKY_RELU, Loss.SOFTMAX_CROSS_ENTROPY, 0.25);
        double[] params = new double[net.paramCount()];
        Init.HE.fill(net.layout(), params, 9);
        params[params.length - 1] = Math.PI; // a value with a long decimal expansion
        return new Model(net, params, "standard", new double[] {0.5, -1.25}, new double[] {2.0, 1.0 / 3},
                List.of("a", "b", "c"), "train.seed = 1\n", List.of("u", "v", "label"));
    }

    @Test
    void roundTripGivesIdenticalWeightsAndPredictions() throws Exception {
        Model m = model();
        Path dir = tmp.resolve("model");
        ModelIO.save(m, dir);
        Model back = ModelIO.load(dir);
        assertArrayEquals(m.params(), back.params());
        assertArrayEquals(m.net().sizes(), back.net().sizes());
        assertEquals(m.net().activation, back.net().activation);
        assertEquals(m.net().dropout, back.net().dropout);
        assertArrayEquals(m.shift(), back.shift());
        assertArrayEquals(m.scale(), back.scale());
        assertEquals(m.classNames(), back.classNames());
        assertEquals(m.config(), back.config());
        assertEquals(m.header(), back.header());
        Dataset d = Builtins.spirals(20, 3, 0.2, 1);
        double[] p1 = new Evaluator(m.net(), m.net().newWorkspace(new OjAlgoGemm())).predict(m.params(), d, 0, 60);
        double[] p2 = new Evaluator(back.net(), back.net().newWorkspace(new OjAlgoGemm()))
                .predict(back.params(), d, 0, 60);
        assertArrayEquals(p1, p2);
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary directory left behind");
        }
    }

    @Test
    void aFlippedByteIsAChecksumError() throws Exception {
        Path dir = tmp.resolve("model");
        ModelIO.save(model(), dir);
        Path bin = dir.resolve("weights.bin");
        byte[] b = Files.readAllBytes(bin);
        b[17] ^= 0x01;
        Files.write(bin, b);
        UserError e = assertThrows(UserError.class, () -> ModelIO.load(dir));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void missingDirectoryOrFileIsNamed() throws Exception {
        UserError e = assertThrows(UserError.class, () -> ModelIO.load(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        Path dir = tmp.resolve("model");
        ModelIO.save(model(), dir);
        Files.delete(dir.resolve("weights.bin"));
        e = assertThrows(UserError.class, () -> ModelIO.load(dir));
        assertTrue(e.getMessage().contains("weights.bin"), e.getMessage());
    }

    @Test
    void theOutputUnitRoundTripsAndOldFilesLoadAsAuto() throws Exception {
        Network net = new Network(new int[] {2, 3, 3}, Activation.SIGMOID, Output.SIGMOID, Loss.MSE, 0.0, true);
        double[] params = new double[net.paramCount()];
        Init.UNIFORM.fill(net.layout(), params, 3);
        Path dir = tmp.resolve("mse-sigmoid");
        ModelIO.save(new Model(net, params, "minmax", new double[2], new double[] {1, 1}, List.of("a", "b", "c"),
                "", null), dir);
        Model back = ModelIO.load(dir);
        assertEquals(Output.SIGMOID, back.net().output);
        assertEquals(Loss.MSE, back.net().loss);
        assertTrue(back.net().classifier, "mse on class labels predicts classes");

        // A file written before model.output existed: no "output" key.
        Path old = tmp.resolve("old");
        ModelIO.save(model(), old);
        Path json = old.resolve("model.json");
        String text = Files.readString(json);
        assertTrue(text.contains("\"output\""), text);
        Files.writeString(json, text.replaceAll("\"output\"\\s*:\\s*\"[a-z]+\",?", ""));
        assertFalse(Files.readString(json).contains("\"output\""));
        Model oldBack = ModelIO.load(old);
        assertEquals(Output.SOFTMAX, oldBack.net().output);
        assertTrue(oldBack.net().classifier);
    }

    @Test
    void weightsAreLittleEndianDoubles() {
        byte[] b = ModelIO.toBytes(new double[] {1.0});
        assertEquals(0x3F, b[7] & 0xFF); // 1.0 = 0x3FF0000000000000, most significant byte last
        assertArrayEquals(new double[] {1.0}, ModelIO.fromBytes(b));
    }
}
