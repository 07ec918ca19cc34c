// `sparkprop trace` on the worked example: the JSON fields and shapes the README documents, and the text form.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

class TraceCommandTest {
    static final String CONF = Cli.conf("worked-example.conf");

    /** The worked example's config with its files found from the test's working directory. */
    static Cli trace(String... more) {
        String[] base = {"trace", "--config", CONF,
            "--set", "data.train=\"" + Cli.conf("worked-example/row.csv") + "\"", "--set", "model.init=\"file:" + Cli.conf("worked-example/weights.json") + "\""};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Cli.run(all);
    }

    @Test
    void jsonHasTheDocumentedFieldsAndShapes() {
        Cli r = trace("--format", "json");
        assertEquals(0, r.exit(), r.err());
        Config j = ConfigFactory.parseString(r.out());
        assertEquals(List.of(2, 2, 2), j.getIntList("network.sizes"));
        assertEquals("sigmoid", j.getString("network.activation"));
        assertEquals("sigmoid", j.getString("network.output"));
        assertEquals("mse", j.getString("network.loss"));
        assertEquals("sgd", j.getString("optimizer.name"));
        assertEquals(0.5, j.getDouble("optimizer.learning_rate"));
        assertEquals(List.of(0), j.getIntList("rows"));
        assertEquals(List.of(List.of(0.05), List.of(0.10)), j.getAnyRefList("input"));
        assertEquals(List.of(List.of(0.01), List.of(0.99)), j.getAnyRefList("targets"));
        List<? extends Config> layers = j.getConfigList("layers");
        assertEquals(2, layers.size());
        for (Config l : layers) {
            for (String m : List.of("W", "dW", "W_after")) {
                assertEquals(2, l.getList(m).size(), m + " is out × in");
            }
            for (String m : List.of("z", "a", "delta")) {
                assertEquals(2, l.getList(m).size(), m + " is units × rows");
            }
            assertEquals(2, l.getDoubleList("b").size());
        }
        // The published figures of the worked example (9 digits).
        assertEquals(0.298371109, j.getDouble("loss"), 1e-9);
        Config out = layers.get(1);
        assertEquals(0.751365070, num(out, "a", 0, 0), 1e-9);
        assertEquals(0.082167041, num(out, "dW", 0, 0), 1e-9);
        assertEquals(0.35891648, num(out, "W_after", 0, 0), 1e-8);
        assertEquals(0.149780716, num(layers.get(0), "W_after", 0, 0), 1e-9);
        assertEquals(0.40, num(out, "W", 0, 0), 0.0);
    }

    static double num(Config c, String key, int row, int col) {
        return ((Number) ((List<?>) c.getAnyRefList(key).get(row)).get(col)).doubleValue();
    }

    @Test
    void textWalksForwardBackwardAndTheStep() {
        Cli r = trace();
        assertEquals(0, r.exit(), r.err());
        String t = r.out();
        for (String s : List.of("z1 = W1·a0 + b1:", "a2 = sigmoid(z2):",
                "loss C = mse summed over 1 row(s) = 0.298371109", "δ1 = (W2ᵀ·δ2) ⊙ sigmoid′(z1):",
                "dW2 = δ2·a1ᵀ:", "[0.35891648, 0.408666186]")) {
            assertTrue(t.contains(s), s + " in\n" + t);
        }
    }

    @Test
    void badOptionsAreUserErrors() {
        Cli rows = trace("--rows", "2");
        assertEquals(2, rows.exit(), rows.err());
        assertTrue(rows.err().contains("--rows: must be in [1, 1]"), rows.err());
        Cli format = trace("--format", "xml");
        assertEquals(2, format.exit(), format.err());
        assertTrue(format.err().contains("--format: unknown 'xml'"), format.err());
    }
}
