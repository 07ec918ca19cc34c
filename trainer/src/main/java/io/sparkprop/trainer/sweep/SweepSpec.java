// The `sweep { ... }` block of a config, validated: method, metric, parameters, early termination, parallelism.
// Every mistake becomes one UserError line naming the key, raised before any data is read or a trial trains.
package io.sparkprop.trainer.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigLoader;

/**
 * Key names follow W&B sweeps (method, metric, parameters, early-terminate) so specs port easily. Parameter
 * names are config paths, written quoted ({@code "optimizer.learning-rate" { ... }}) or nested; they are kept
 * sorted by path, which fixes the grid order and the order of random draws whatever the file's key order.
 */
public final class SweepSpec {
    public enum Method { GRID, RANDOM }

    /** Promotion-based successive halving: everyone trains minEpochs, the best 1/eta go on, rung by rung. */
    public record EarlyTerminate(int minEpochs, int eta) {
    }

    static final List<String> KEYS = List.of("name", "method", "metric", "trials", "seed", "parameters",
            "early-terminate", "parallelism");

    public final String name;
    public final Method method;
    public final Metric metric;
    /** Number of random trials; 0 for a grid (it runs every combination). */
    public final int trials;
    public final long seed;
    public final List<Param> parameters;
    /** Null when every trial trains its full train.epochs. */
    public final EarlyTerminate earlyTerminate;
    public final int parallelism;

    private SweepSpec(String name, Method method, Metric metric, int trials, long seed, List<Param> parameters,
                      EarlyTerminate earlyTerminate, int parallelism) {
        this.name = name;
        this.method = method;
        this.metric = metric;
        this.trials = trials;
        this.seed = seed;
        this.parameters = parameters;
        this.earlyTerminate = earlyTerminate;
        this.parallelism = parallelism;
    }

    /** Reads and checks {@code config}'s sweep block (the config as {@link ConfigLoader#load} returns it). */
    public static SweepSpec from(Config config) {
        if (!config.hasPath(ConfigLoader.SWEEP)) {
            throw new UserError("the config has no sweep { ... } block (see 'Hyperparameter sweeps' in the README)");
        }
        ConfigValue root = config.getValue(ConfigLoader.SWEEP);
        if (!(root instanceof ConfigObject sweep)) {
            throw new UserError("sweep: expected an object { ... }, got " + Param.show(root));
        }
        for (String k : sweep.keySet()) {
            if (!KEYS.contains(k)) {
                throw ConfigLoader.unknownKey("sweep." + k, KEYS.stream().map(s -> "sweep." + s).toList());
            }
        }
        String name = sweep.containsKey("name") ? string(sweep.get("name"), "sweep.name") : "";
        String m = sweep.containsKey("method") ? string(sweep.get("method"), "sweep.method") : "grid";
        Method method = switch (m) {
            case "grid" -> Method.GRID;
            case "random" -> Method.RANDOM;
            default -> throw new UserError("sweep.method: unknown '" + m + "', expected grid or random");
        };
        Metric metric = metric(sweep.get("metric"));
        int trials = 0;
        if (method == Method.RANDOM) {
            if (!sweep.containsKey("trials")) {
                throw new UserError("sweep.trials: method = random needs the number of trials, e.g. trials = 20");
            }
            trials = (int) integer(sweep.get("trials"), "sweep.trials", 1);
        } else if (sweep.containsKey("trials")) {
            throw new UserError("sweep.trials: only for method = random (a grid runs every combination)");
        }
        long seed = sweep.containsKey("seed") ? integer(sweep.get("seed"), "sweep.seed", Long.MIN_VALUE) : 0;
        int parallelism = sweep.containsKey("parallelism")
                ? (int) integer(sweep.get("parallelism"), "sweep.parallelism", 1) : 1;
        List<Param> params = parameters(sweep.get("parameters"), method);
        EarlyTerminate et = earlyTerminate(sweep.get("early-terminate"), config, params);
        return new SweepSpec(name, method, metric, trials, seed, params, et, parallelism);
    }

    private static Metric metric(ConfigValue v) {
        if (v == null) {
            throw new UserError("sweep.metric: missing, e.g. metric { name = val_accuracy, goal = maximize }");
        }
        if (!(v instanceof ConfigObject o)) {
            throw new UserError("sweep.metric: expected { name = ..., goal = ... }, got " + Param.show(v));
        }
        for (String k : o.keySet()) {
            if (!k.equals("name") && !k.equals("goal")) {
                throw ConfigLoader.unknownKey("sweep.metric." + k, List.of("sweep.metric.name", "sweep.metric.goal"));
            }
        }
        if (!o.containsKey("name")) {
            throw new UserError("sweep.metric.name: missing, e.g. name = val_accuracy");
        }
        String goal = o.containsKey("goal") ? string(o.get("goal"), "sweep.metric.goal") : null;
        return Metric.parse(string(o.get("name"), "sweep.metric.name"), goal);
    }

    private static List<Param> parameters(ConfigValue v, Method method) {
        if (!(v instanceof ConfigObject o) || o.isEmpty()) {
            throw new UserError("sweep.parameters: expected at least one parameter, e.g. "
                    + "\"optimizer.learning-rate\" { values = [0.01, 0.1] }");
        }
        List<Param> out = new ArrayList<>();
        collect(o, "", out);
        out.sort(Comparator.comparing(p -> p.path));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).path.equals(out.get(i - 1).path)) {
                throw new UserError("sweep.parameters: '" + out.get(i).path + "' is given twice");
            }
        }
        for (Param p : out) {
            if (method == Method.GRID && !p.hasValues()) {
                throw new UserError(where(p.path) + ": method = grid needs values = [...], not a distribution");
            }
        }
        return List.copyOf(out);
    }

    /** A block with values or distribution is a parameter; any other object is a path prefix (nested form). */
    private static void collect(ConfigObject o, String prefix, List<Param> out) {
        for (String k : o.keySet()) {
            String path = prefix.isEmpty() ? k : prefix + "." + k;
            ConfigValue v = o.get(k);
            if (!(v instanceof ConfigObject spec)) {
                throw new UserError(where(path) + ": expected { values = [...] } or { distribution = ..., min, max },"
                        + " got " + Param.show(v));
            }
            if (spec.containsKey("values") || spec.containsKey("distribution")) {
                if (path.equals(ConfigLoader.SWEEP) || path.startsWith(ConfigLoader.SWEEP + ".")
                        || !ConfigLoader.knownKeys().contains(path) && !LayerField.matches(path)) {
                    throw new UserError("sweep.parameters: " + ConfigLoader.unknownKey(path).getMessage());
                }
                out.add(Param.parse(path, spec, where(path)));
            } else if (spec.isEmpty()) {
                throw new UserError(where(path) + ": empty, expected values = [...] or a distribution");
            } else {
                collect(spec, path, out);
            }
        }
    }

    private static EarlyTerminate earlyTerminate(ConfigValue v, Config config, List<Param> params) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof ConfigObject o)) {
            throw new UserError("sweep.early-terminate: expected { type = successive-halving, min-epochs, eta }");
        }
        List<String> keys = List.of("type", "min-epochs", "eta");
        for (String k : o.keySet()) {
            if (!keys.contains(k)) {
                throw ConfigLoader.unknownKey("sweep.early-terminate." + k,
                        keys.stream().map(s -> "sweep.early-terminate." + s).toList());
            }
        }
        String type = o.containsKey("type") ? string(o.get("type"), "sweep.early-terminate.type") : "";
        if (!type.equals("successive-halving")) {
            throw new UserError("sweep.early-terminate.type: unknown '" + type + "', expected successive-halving");
        }
        if (!o.containsKey("min-epochs")) {
            throw new UserError("sweep.early-terminate.min-epochs: missing, e.g. min-epochs = 3");
        }
        int minEpochs = (int) integer(o.get("min-epochs"), "sweep.early-terminate.min-epochs", 1);
        int eta = o.containsKey("eta") ? (int) integer(o.get("eta"), "sweep.early-terminate.eta", 2) : 3;
        if (params.stream().anyMatch(p -> p.path.equals("train.epochs"))) {
            throw new UserError("sweep.parameters: train.epochs cannot be swept with early-terminate (it is the"
                    + " budget every rung is measured against)");
        }
        int epochs = config.getInt("train.epochs");
        if (minEpochs >= epochs) {
            throw new UserError("sweep.early-terminate.min-epochs: must be less than train.epochs (" + epochs
                    + "), got " + minEpochs);
        }
        return new EarlyTerminate(minEpochs, eta);
    }

    static String where(String path) {
        return "sweep.parameters.\"" + path + "\"";
    }

    private static String string(ConfigValue v, String key) {
        if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST
                || v.valueType() == ConfigValueType.NULL) {
            throw new UserError(key + ": expected a word, got " + Param.show(v));
        }
        return String.valueOf(v.unwrapped()).trim();
    }

    private static long integer(ConfigValue v, String key, long min) {
        Object u = v.unwrapped();
        if (!(u instanceof Integer || u instanceof Long) && !(u instanceof Double d && d == Math.rint(d))) {
            throw new UserError(key + ": expected an integer, got " + Param.show(v));
        }
        long n = ((Number) u).longValue();
        if (n < min) {
            throw new UserError(key + ": expected an integer >= " + min + ", got " + n);
        }
        return n;
    }
}
