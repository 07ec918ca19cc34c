// model.layers and model.input-shape read at the config edge: each entry to a LayerSpec, with one-line errors
// naming the entry's key ("model.layers[2].filters: ..."), and the shapes checked when the input shape is known.
package io.sparkprop.trainer.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.LayerKind;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An empty list means the dense stack of model.hidden. Entries: {@code {type = conv2d, filters, kernel, stride = 1,
 * padding = 0 | valid | same, activation}}, {@code {type = max-pool | avg-pool, size, stride = size}},
 * {@code {type = flatten}}, {@code {type = dense, units, activation}}, {@code {type = dropout, rate}},
 * {@code {type = batch-norm, momentum = 0.1, epsilon = 1e-5}}, {@code {type = layer-norm, epsilon = 1e-5}},
 * {@code {type = embedding, dim}} (first, with data.categorical-columns); a missing activation is model.activation.
 */
public final class LayerList {
    static final String KEY = "model.layers";
    static final String SHAPE_KEY = "model.input-shape";

    private LayerList() {
    }

    /** The entries of model.layers (empty when none). */
    static List<LayerSpec> read(ConfigReader r, Activation defaultActivation) {
        return read(KEY, r.value(KEY), defaultActivation);
    }

    /** A list of layer objects at {@code key} (model.layers, or a saved model's layer_list). */
    public static List<LayerSpec> read(String key, ConfigValue v, Activation defaultActivation) {
        if (v.valueType() != ConfigValueType.LIST) {
            throw ConfigReader.wrong(key, "a list of layers {type = ...}", v);
        }
        List<LayerSpec> out = new ArrayList<>();
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            String at = key + "[" + i + "]";
            ConfigValue e = list.get(i);
            if (e.valueType() != ConfigValueType.OBJECT) {
                throw ConfigReader.wrong(at, "an object {type = ...}", e);
            }
            out.add(entry(at, (ConfigObject) e, defaultActivation));
        }
        return out;
    }

    /** model.input-shape: null when empty; [n] or [channels, height, width], each ≥ 1. */
    static Shape inputShape(ConfigReader r) {
        int[] s = r.intList(SHAPE_KEY);
        if (s.length == 0) {
            return null;
        }
        for (int x : s) {
            if (x < 1) {
                throw new UserError(SHAPE_KEY + ": every size must be >= 1, got " + java.util.Arrays.toString(s));
            }
        }
        if (s.length == 1) {
            return Shape.flat(s[0]);
        }
        if (s.length != 3) {
            throw new UserError(SHAPE_KEY + ": expected [channels, height, width] or [features], got "
                    + java.util.Arrays.toString(s));
        }
        return new Shape(s[0], s[1], s[2]);
    }

    /**
     * model.layers beside model.hidden (other than its default) or model.dropout is refused naming both keys; with
     * model.input-shape the shapes are checked here (an output layer of one unit stands in for the data's).
     */
    static void check(List<LayerSpec> layers, Shape inputShape, int[] hidden, double dropout) {
        if (layers.isEmpty()) {
            if (inputShape != null) {
                throw new UserError(SHAPE_KEY + ": describes the input of model.layers, which is empty");
            }
            return;
        }
        if (!java.util.Arrays.equals(hidden, new ConfigReader(ConfigLoader.reference()).intList("model.hidden"))) {
            throw new UserError("model.hidden: " + java.util.Arrays.toString(hidden) + " with model.layers; set one"
                    + " of them (model.hidden is the dense shorthand)");
        }
        if (dropout > 0) {
            throw new UserError("model.dropout: " + dropout + " with model.layers; put { type = dropout, rate = "
                    + dropout + " } in the list instead");
        }
        if (inputShape != null && layers.get(0).kind() != LayerKind.EMBEDDING) { // an embedding's shape needs the data
            stack(inputShape, layers, 1);
        }
    }

    /** The layers on {@code input} with an output layer of {@code outputs} units, or a UserError naming the layer. */
    public static LayerStack stack(Shape input, List<LayerSpec> layers, int outputs) {
        return stack(input, layers, outputs, io.sparkprop.trainer.nn.Categorical.NONE);
    }

    /** As above, with the data's categorical input columns (read by a first embedding layer). */
    public static LayerStack stack(Shape input, List<LayerSpec> layers, int outputs,
                                   io.sparkprop.trainer.nn.Categorical categorical) {
        try {
            return new LayerStack(input, layers, outputs, categorical);
        } catch (IllegalArgumentException e) {
            throw new UserError(KEY + ": " + e.getMessage());
        }
    }

    private static LayerSpec entry(String at, ConfigObject o, Activation defaultActivation) {
        ConfigValue t = o.get("type");
        if (t == null) {
            throw new UserError(at + ": missing type; expected one of " + kinds());
        }
        LayerKind kind = t.valueType() == ConfigValueType.STRING ? LayerKind.parse(((String) t.unwrapped()).trim())
                : null;
        if (kind == null) {
            throw ConfigReader.wrong(at + ".type", "one of " + kinds(), t);
        }
        Set<String> allowed = switch (kind) {
            case CONV2D -> Set.of("type", "filters", "kernel", "stride", "padding", "activation");
            case MAX_POOL, AVG_POOL -> Set.of("type", "size", "stride");
            case DENSE -> Set.of("type", "units", "activation");
            case DROPOUT -> Set.of("type", "rate");
            case FLATTEN -> Set.of("type");
            case BATCH_NORM -> Set.of("type", "momentum", "epsilon");
            case LAYER_NORM -> Set.of("type", "epsilon");
            case EMBEDDING -> Set.of("type", "dim");
        };
        for (String k : o.keySet()) {
            if (!allowed.contains(k)) {
                throw new UserError(at + "." + k + ": not a key of " + kind.configName + " (it takes "
                        + String.join(", ", allowed.stream().filter(x -> !x.equals("type")).sorted().toList())
                        + ")");
            }
        }
        return switch (kind) {
            case CONV2D -> {
                int kernel = positive(at, o, "kernel", 0);
                int stride = positive(at, o, "stride", 1);
                yield LayerSpec.conv2d(positive(at, o, "filters", 0), kernel, stride, padding(at, o, kernel, stride),
                        activation(at, o, defaultActivation));
            }
            case MAX_POOL -> {
                int size = positive(at, o, "size", 0);
                yield LayerSpec.maxPool(size, positive(at, o, "stride", size));
            }
            case AVG_POOL -> {
                int size = positive(at, o, "size", 0);
                yield LayerSpec.avgPool(size, positive(at, o, "stride", size));
            }
            case DENSE -> LayerSpec.dense(positive(at, o, "units", 0), activation(at, o, defaultActivation));
            case DROPOUT -> LayerSpec.dropout(rate(at, o));
            case FLATTEN -> LayerSpec.flatten();
            case BATCH_NORM -> LayerSpec.batchNorm(number(at, o, "momentum", 0.1, true),
                    number(at, o, "epsilon", 1e-5, false));
            case LAYER_NORM -> LayerSpec.layerNorm(number(at, o, "epsilon", 1e-5, false));
            case EMBEDDING -> LayerSpec.embedding(positive(at, o, "dim", 0));
        };
    }

    private static String kinds() {
        return String.join(", ", java.util.Arrays.stream(LayerKind.values()).map(k -> k.configName).toList());
    }

    /** A whole number ≥ 1; {@code orElse} when absent (0: required). */
    private static int positive(String at, ConfigObject o, String key, int orElse) {
        ConfigValue v = o.get(key);
        if (v == null) {
            if (orElse > 0) {
                return orElse;
            }
            throw new UserError(at + "." + key + ": missing, expected an integer >= 1");
        }
        Object x = v.unwrapped();
        if (v.valueType() != ConfigValueType.NUMBER || ((Number) x).doubleValue() != Math.rint(((Number) x)
                .doubleValue()) || ((Number) x).doubleValue() < 1 || ((Number) x).doubleValue() > 1 << 24) {
            throw ConfigReader.wrong(at + "." + key, "an integer >= 1", v);
        }
        return ((Number) x).intValue();
    }

    /** padding: an integer ≥ 0, valid (0) or same ((kernel − 1) / 2; an odd kernel and stride 1). */
    private static int padding(String at, ConfigObject o, int kernel, int stride) {
        ConfigValue v = o.get("padding");
        if (v == null) {
            return 0;
        }
        String key = at + ".padding";
        if (v.valueType() == ConfigValueType.STRING) {
            String s = ((String) v.unwrapped()).trim();
            if (s.equalsIgnoreCase("valid")) {
                return 0;
            }
            if (s.equalsIgnoreCase("same")) {
                if (kernel % 2 == 0 || stride != 1) {
                    throw new UserError(key + ": same needs an odd kernel and stride 1, got kernel " + kernel
                            + ", stride " + stride);
                }
                return (kernel - 1) / 2;
            }
        }
        if (v.valueType() == ConfigValueType.NUMBER) {
            double d = ((Number) v.unwrapped()).doubleValue();
            if (d == Math.rint(d) && d >= 0 && d < kernel) {
                return (int) d;
            }
        }
        throw ConfigReader.wrong(key, "same, valid or an integer in [0, kernel)", v);
    }

    private static Activation activation(String at, ConfigObject o, Activation defaultActivation) {
        ConfigValue v = o.get("activation");
        if (v == null) {
            return defaultActivation;
        }
        if (v.valueType() == ConfigValueType.STRING) {
            for (Activation a : Activation.values()) {
                if (a.configName.equalsIgnoreCase(((String) v.unwrapped()).trim())) {
                    return a;
                }
            }
        }
        throw ConfigReader.wrong(at + ".activation", "one of " + String.join(", ",
                java.util.Arrays.stream(Activation.values()).map(a -> a.configName).toList()), v);
    }

    private static double rate(String at, ConfigObject o) {
        ConfigValue v = o.get("rate");
        if (v == null) {
            throw new UserError(at + ".rate: missing, expected a number in [0, 1)");
        }
        if (v.valueType() == ConfigValueType.NUMBER) {
            double d = ((Number) v.unwrapped()).doubleValue();
            if (d >= 0 && d < 1) {
                return d;
            }
        }
        throw ConfigReader.wrong(at + ".rate", "a number in [0, 1)", v);
    }

    /** batch-norm's momentum, a number in [0, 1], or an epsilon (batch-norm, layer-norm), a number &gt; 0;
     * {@code orElse} (PyTorch's default) when absent. */
    private static double number(String at, ConfigObject o, String key, double orElse, boolean unit) {
        ConfigValue v = o.get(key);
        if (v == null) {
            return orElse;
        }
        if (v.valueType() == ConfigValueType.NUMBER) {
            double d = ((Number) v.unwrapped()).doubleValue();
            if (unit ? d >= 0 && d <= 1 : d > 0 && Double.isFinite(d)) {
                return d;
            }
        }
        throw ConfigReader.wrong(at + "." + key, unit ? "a number in [0, 1]" : "a number > 0", v);
    }

    /** The config spelling of a layer list, for a saved model (the inverse of {@link #read}). */
    public static List<Map<String, Object>> toMaps(List<LayerSpec> layers) {
        return layers.stream().map(LayerSpec::toMap).toList();
    }
}
