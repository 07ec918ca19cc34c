// One swept config path: an explicit list of values (grid or random choice) or a distribution to draw from.
// Parsed from `sweep.parameters."path" { values = [...] }` or `{ distribution = ..., min, max, q }`.
package io.sparkprop.trainer.sweep;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigLoader;

/**
 * Distributions use W&B's names. log_uniform_values takes the bounds themselves (W&B's older log_uniform took
 * exponents, a frequent source of wrong sweeps, so it is rejected with a hint).
 */
public final class Param {
    public static final List<String> DISTRIBUTIONS =
            List.of("uniform", "log_uniform_values", "int_uniform", "q_uniform");
    static final List<String> KEYS = List.of("values", "distribution", "min", "max", "q");

    public final String path;
    private final List<ConfigValue> values;
    private final String distribution;
    private final double min;
    private final double max;
    private final double q;

    private Param(String path, List<ConfigValue> values, String distribution, double min, double max, double q) {
        this.path = path;
        this.values = values;
        this.distribution = distribution;
        this.min = min;
        this.max = max;
        this.q = q;
    }

    /** {@code where} is how messages name the block, e.g. sweep.parameters."optimizer.learning-rate". */
    static Param parse(String path, ConfigObject spec, String where) {
        for (String k : spec.keySet()) {
            if (!KEYS.contains(k)) {
                throw new UserError(where + ": " + ConfigLoader.unknownKey(k, KEYS).getMessage());
            }
        }
        if (spec.containsKey("values")) {
            if (spec.size() > 1) {
                throw new UserError(where + ": give either values = [...] or a distribution, not both");
            }
            ConfigValue v = spec.get("values");
            if (!(v instanceof ConfigList list)) {
                throw new UserError(where + ".values: expected a list [...], got " + show(v));
            }
            if (list.isEmpty()) {
                throw new UserError(where + ".values: empty list, expected at least one value");
            }
            return new Param(path, List.copyOf(list), null, 0, 0, 0);
        }
        ConfigValue d = spec.get("distribution");
        if (d == null) {
            throw new UserError(where + ": expected values = [...] or distribution = "
                    + String.join(" | ", DISTRIBUTIONS));
        }
        String dist = String.valueOf(d.unwrapped()).trim();
        if (!DISTRIBUTIONS.contains(dist)) {
            String hint = dist.equals("log_uniform")
                    ? " (log_uniform took exponents in W&B; use log_uniform_values with the bounds themselves)" : "";
            throw new UserError(where + ".distribution: unknown '" + dist + "', expected one of "
                    + String.join(", ", DISTRIBUTIONS) + hint);
        }
        double lo = number(spec, "min", where);
        double hi = number(spec, "max", where);
        if (lo > hi) {
            throw new UserError(where + ": min (" + fmt(lo) + ") is greater than max (" + fmt(hi) + ")");
        }
        if (dist.equals("log_uniform_values") && lo <= 0) {
            throw new UserError(where + ": log_uniform_values needs min > 0, got min = " + fmt(lo));
        }
        if (dist.equals("int_uniform") && (lo != Math.rint(lo) || hi != Math.rint(hi))) {
            throw new UserError(where + ": int_uniform needs integer min and max, got " + fmt(lo) + " and "
                    + fmt(hi));
        }
        double step = 1;
        if (spec.containsKey("q")) {
            if (!dist.equals("q_uniform")) {
                throw new UserError(where + ".q: only q_uniform takes a step q");
            }
            step = number(spec, "q", where);
            if (step <= 0) {
                throw new UserError(where + ".q: expected a step > 0, got " + fmt(step));
            }
        }
        return new Param(path, null, dist, lo, hi, step);
    }

    /** True for an explicit list of values, the only kind a grid can enumerate. */
    public boolean hasValues() {
        return values != null;
    }

    /** The explicit values, in the order written. */
    public List<ConfigValue> values() {
        return values;
    }

    /** One random value: a uniform choice among the values, or a draw from the distribution. */
    ConfigValue sample(SplittableRandom rnd) {
        if (values != null) {
            return values.get(rnd.nextInt(values.size()));
        }
        double u = rnd.nextDouble();
        return switch (distribution) {
            case "uniform" -> num(min + u * (max - min));
            case "log_uniform_values" -> num(Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))));
            case "int_uniform" -> ConfigValueFactory.fromAnyRef((long) min + rnd.nextLong((long) max - (long) min + 1));
            case "q_uniform" -> quantize(min + u * (max - min));
            default -> throw new IllegalStateException(distribution);
        };
    }

    /** round(x / q) · q kept within [min, max], computed in decimal so 0.1·3 stays 0.3 and integers stay integers. */
    private ConfigValue quantize(double x) {
        BigDecimal step = BigDecimal.valueOf(q);
        long k = Math.round(x / q);
        long kMin = (long) Math.ceil(min / q - 1e-9);
        long kMax = (long) Math.floor(max / q + 1e-9);
        k = Math.max(kMin, Math.min(kMax, k));
        BigDecimal v = step.multiply(BigDecimal.valueOf(k)).stripTrailingZeros();
        return v.scale() <= 0 ? ConfigValueFactory.fromAnyRef(v.longValueExact()) : num(v.doubleValue());
    }

    private static ConfigValue num(double d) {
        return ConfigValueFactory.fromAnyRef(d);
    }

    private static double number(ConfigObject spec, String key, String where) {
        ConfigValue v = spec.get(key);
        if (v == null) {
            throw new UserError(where + "." + key + ": missing (a distribution needs min and max)");
        }
        if (v.valueType() != ConfigValueType.NUMBER) {
            throw new UserError(where + "." + key + ": expected a number, got " + show(v));
        }
        return ((Number) v.unwrapped()).doubleValue();
    }

    static String show(ConfigValue v) {
        return v.valueType() == ConfigValueType.STRING ? "'" + v.unwrapped() + "'"
                : v.render(ConfigRenderOptions.concise());
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    @Override
    public String toString() {
        if (values != null) {
            List<String> s = new ArrayList<>();
            for (ConfigValue v : values) s.add(v.render(ConfigRenderOptions.concise()));
            return path + " in " + s;
        }
        return path + " ~ " + distribution + "(" + fmt(min) + ", " + fmt(max) + ")";
    }
}
