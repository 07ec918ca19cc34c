// A sweep over model.layers: one field of one entry ("model.layers.0.filters" or "model.layers[0].filters") or
// the whole list; the trials' layer lists, their training, and the one-line errors.
package io.sparkprop.trainer.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.LayerKind;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.RunHooks;

class SweepLayerFieldsTest {
    @TempDir
    Path out;

    /** Wheat seeds' 7 features as a [1, 1, 7] image: a 1 × 1 convolution, flatten, a dense layer. */
    static Config seeds(String sweep) {
        return SweepTestConfigs.parse("""
                data { train = "builtin:wheat-seeds", validation-fraction = 0.2 }
                model.input-shape = [1, 1, 7]
                model.layers = [{type = conv2d, filters = 3, kernel = 1}, {type = flatten},
                                {type = dense, units = 5, activation = tanh}]
                train { epochs = 3, batch-size = 32, threads = 1 }
                sweep { metric { name = val_accuracy }, %s }
                """.formatted(sweep));
    }

    private static List<Trial> plan(Config c) {
        return Trials.plan(c, SweepSpec.from(c));
    }

    @Test
    void aFieldOfOneEntryVariesAndTheRestOfTheListStays() {
        List<Trial> t = plan(seeds("parameters { \"model.layers.0.filters\" { values = [2, 4] },"
                + " \"model.layers[2].units\" { values = [6, 9] } }"));
        assertEquals(4, t.size());
        int[][] want = {{2, 6}, {2, 9}, {4, 6}, {4, 9}};
        for (int i = 0; i < 4; i++) {
            List<LayerSpec> layers = t.get(i).run().layers();
            assertEquals(3, layers.size(), t.get(i).describe());
            assertEquals(LayerKind.CONV2D, layers.get(0).kind());
            assertEquals(want[i][0], layers.get(0).units(), t.get(i).describe());
            assertEquals(1, layers.get(0).kernel(), "the entry's other keys stay");
            assertEquals(LayerKind.FLATTEN, layers.get(1).kind());
            assertEquals(want[i][1], layers.get(2).units(), t.get(i).describe());
            assertEquals("tanh", layers.get(2).activation().configName);
        }
    }

    @Test
    void theWholeListIsOneParameterAndItsTrialsTrain() throws Exception {
        Config c = seeds("parameters { \"model.layers\" { values = ["
                + "[{type = flatten}, {type = dense, units = 4}],"
                + "[{type = conv2d, filters = 2, kernel = 3, padding = same}, {type = max-pool, size = 1},"
                + " {type = flatten}, {type = dense, units = 4}]] } }");
        List<Trial> t = plan(c);
        assertEquals(List.of(2, 4), t.stream().map(x -> x.run().layers().size()).toList());
        SweepSpec spec = SweepSpec.from(c);
        SweepRunner.Engines local = (trial, slot) -> (RunHooks) (net, data, p) ->
                LocalEngine.on(net, data, p, () -> Backend.AUTO.gemm(), 1);
        Map<String, TrialRecord> records = new SweepRunner(out, spec, t, local,
                new PrintStream(new ByteArrayOutputStream()), false).run();
        assertTrue(records.values().stream().allMatch(r -> r.status() == TrialRecord.Status.FINISHED), "" + records);
        for (Trial x : t) {
            assertTrue(Files.readString(out.resolve("trials").resolve(x.id()).resolve("model/model.json"))
                    .contains("sparkprop-model/2"), x.describe());
        }
    }

    @Test
    void anEntryPastTheListOrAKeyTheLayerLacksFailsInOneLine() {
        String past = assertThrows(UserError.class, () -> plan(seeds(
                "parameters { \"model.layers.5.units\" { values = [2] } }"))).getMessage();
        assertEquals("sweep.parameters.\"model.layers.5.units\": model.layers has 3 entries, so there is no entry 5",
                past);
        String key = assertThrows(UserError.class, () -> plan(seeds(
                "parameters { \"model.layers.1.units\" { values = [2] } }"))).getMessage();
        assertTrue(key.startsWith("sweep trial model.layers.1.units=2: model.layers[1].units: not a key of flatten"),
                key);
        assertTrue(!key.contains("\n"), key);
    }
}
