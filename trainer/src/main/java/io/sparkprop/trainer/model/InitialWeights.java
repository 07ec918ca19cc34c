// The weights a run starts from: drawn by an Init, or read from a file (a saved model, or layers written by hand).
package io.sparkprop.trainer.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.ParamLayout;

/**
 * model.init = "file:PATH": PATH is a model directory written by a run (a warm start: the same layer sizes), a
 * model saved through Spark ML ({@code model.write().save(PATH)}: the run's files are in PATH/sparkprop), or a
 * JSON file {@code {"layers": [{"W": [[...], ...], "b": [...]}, ...]}}, one entry per dense layer from the
 * input side, W[j][i] the weight from input i into unit j (out × in, row by row) and b[j] the bias of unit j, or
 * {@code {"weights": [...]}}, the flat vector in {@link ParamLayout}'s order (MLlib's order too).
 * Every mismatch is one line naming the file and the layer (1-based, as W1/b1 in reports).
 */
public final class InitialWeights {
    private InitialWeights() {
    }

    /** Fresh parameters for net: from {@code file} when it is not empty, else drawn by init from the seed. */
    public static double[] of(Network net, Init init, long seed, String file) {
        if (file == null || file.isEmpty()) {
            double[] params = new double[net.paramCount()];
            init.fill(net.layout(), params, seed);
            if (net.stack != null) {
                net.stack.initFixed(params); // layer-norm starts as the identity map (γ = 1, β = 0)
            }
            return params;
        }
        return fromFile(Path.of(file), net);
    }

    /** A model directory (warm start) or a hand-written JSON weights file. */
    public static double[] fromFile(Path path, Network net) {
        if (Files.isDirectory(path)) {
            return fromModel(path, net);
        }
        if (!Files.isRegularFile(path)) {
            throw new UserError("model.init: " + path + ": no such model directory or weights file");
        }
        try {
            return fromJson(Files.readString(path), path.toString(), net);
        } catch (IOException e) {
            throw new UserError("model.init: " + path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The saved model's weights, after checking its layer sizes against net's. */
    static double[] fromModel(Path dir, Network net) {
        Path sparkMl = dir.resolve("sparkprop");
        if (!Files.exists(dir.resolve("model.json")) && Files.isDirectory(dir.resolve("metadata"))
                && Files.exists(sparkMl.resolve("model.json"))) {
            dir = sparkMl; // saved through Spark ML: metadata/ beside the run's model files
        }
        Model m = ModelIO.load(dir);
        if (m.net().isLayerList() || net.isLayerList()) {
            String have = m.net().isLayerList() ? m.net().stack + " " + m.net().stack.hidden()
                    : Arrays.toString(m.net().sizes());
            String want = net.isLayerList() ? net.stack + " " + net.stack.hidden() : Arrays.toString(net.sizes());
            if (!have.equals(want)) {
                throw new UserError("model.init: " + dir + " has layers " + have + ", the network " + want);
            }
            return m.params().clone();
        }
        int[] have = m.net().sizes();
        int[] want = net.sizes();
        if (have.length != want.length) {
            throw new UserError("model.init: " + dir + " has " + (have.length - 1) + " dense layers "
                    + Arrays.toString(have) + ", the network " + (want.length - 1) + " " + Arrays.toString(want));
        }
        for (int l = 0; l + 1 < want.length; l++) {
            if (have[l] != want[l] || have[l + 1] != want[l + 1]) {
                throw new UserError("model.init: " + dir + ": layer " + (l + 1) + " is " + have[l + 1] + " × "
                        + have[l] + " (out × in), the network's is " + want[l + 1] + " × " + want[l]);
            }
        }
        return m.params().clone();
    }

    /** Parses the hand-written form; {@code source} names the file in errors. */
    public static double[] fromJson(String text, String source, Network net) {
        String where = "model.init: " + source;
        Config c;
        try {
            c = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        } catch (ConfigException e) {
            throw new UserError(where + ": not valid JSON (" + e.getMessage().replaceAll("\\s+", " ").trim() + ")");
        }
        if (c.hasPath("weights") && !c.hasPath("layers")) {
            double[] flat = numbers(c.getValue("weights"), where + ": weights");
            if (flat.length != net.paramCount()) {
                throw new UserError(where + ": " + flat.length + " weights, the network " + Arrays.toString(net.sizes())
                        + " has " + net.paramCount());
            }
            return flat;
        }
        if (net.isLayerList()) {
            throw new UserError(where + ": per-layer W and b describe dense layers; with model.layers give"
                    + " {\"weights\": [...]} (the flat vector) or a saved model directory");
        }
        if (!c.hasPath("layers") || c.getValue("layers").valueType() != ConfigValueType.LIST) {
            throw new UserError(where + ": expected {\"layers\": [{\"W\": [[...], ...], \"b\": [...]}, ...]}");
        }
        List<? extends ConfigValue> layers = c.getList("layers");
        ParamLayout layout = net.layout();
        if (layers.size() != layout.layers()) {
            throw new UserError(where + ": " + layers.size() + " layers, the network " + Arrays.toString(net.sizes())
                    + " has " + layout.layers() + " dense layers");
        }
        double[] params = new double[net.paramCount()];
        for (int l = 0; l < layout.layers(); l++) {
            String layer = where + ": layer " + (l + 1);
            ConfigValue v = layers.get(l);
            if (v.valueType() != ConfigValueType.OBJECT) {
                throw new UserError(layer + ": expected {\"W\": [[...], ...], \"b\": [...]}");
            }
            Config lc = ((com.typesafe.config.ConfigObject) v).toConfig();
            int out = layout.out(l);
            int in = layout.in(l);
            List<? extends ConfigValue> rows = list(lc, "W", layer);
            if (rows.size() != out) {
                throw new UserError(layer + ": W has " + rows.size() + " rows, the layer has " + out + " units (W is "
                        + out + " × " + in + ", out × in)");
            }
            for (int j = 0; j < out; j++) {
                double[] row = numbers(rows.get(j), layer + ": W[" + j + "]");
                if (row.length != in) {
                    throw new UserError(layer + ": W[" + j + "] has " + row.length + " values, the layer has " + in
                            + " inputs (W is " + out + " × " + in + ", out × in)");
                }
                // Column-major (out × in): entry (j, i) lives at i·out + j.
                for (int i = 0; i < in; i++) params[layout.wOffset(l) + i * out + j] = row[i];
            }
            double[] b = numbers(lc.hasPath("b") ? lc.getValue("b") : null, layer + ": b");
            if (b.length != out) {
                throw new UserError(layer + ": b has " + b.length + " values, the layer has " + out + " units");
            }
            System.arraycopy(b, 0, params, layout.bOffset(l), out);
        }
        return params;
    }

    private static List<? extends ConfigValue> list(Config c, String key, String layer) {
        if (!c.hasPath(key) || c.getValue(key).valueType() != ConfigValueType.LIST) {
            throw new UserError(layer + ": " + key + " is missing or not a list");
        }
        return c.getList(key);
    }

    private static double[] numbers(ConfigValue v, String what) {
        if (v == null || v.valueType() != ConfigValueType.LIST) {
            throw new UserError(what + " is missing or not a list of numbers");
        }
        List<? extends ConfigValue> l = (com.typesafe.config.ConfigList) v;
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            ConfigValue e = l.get(i);
            if (e.valueType() != ConfigValueType.NUMBER) {
                throw new UserError(what + "[" + i + "] is " + e.render() + ", expected a number");
            }
            out[i] = ((Number) e.unwrapped()).doubleValue();
            if (!Double.isFinite(out[i])) {
                throw new UserError(what + "[" + i + "] is not finite");
            }
        }
        return out;
    }
}
