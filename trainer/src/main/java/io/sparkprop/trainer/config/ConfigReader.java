// Typed, range-checked reads from a resolved Config: numbers in range, lists, and choices parsed to their enum.
// Every failure is a one-line UserError that starts with the key path.
package io.sparkprop.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.sparkprop.trainer.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Package-private helper of {@link TrainConfig}; typesafe's own getters give multi-line, origin-laden messages. */
final class ConfigReader {
    private static final String AUTO = "auto";

    private final Config c;

    ConfigReader(Config c) {
        this.c = c;
    }

    ConfigValue value(String key) {
        if (!c.hasPathOrNull(key)) {
            throw new UserError(key + ": missing, expected a value");
        }
        if (c.getIsNull(key)) {
            throw new UserError(key + ": expected a value, got null");
        }
        return c.getValue(key);
    }

    /** Strings, numbers and booleans all read as their text (label-column = 3 is the string "3"). */
    String string(String key) {
        ConfigValue v = value(key);
        return switch (v.valueType()) {
            case STRING, NUMBER, BOOLEAN -> String.valueOf(v.unwrapped());
            default -> throw wrong(key, "a string", v);
        };
    }

    /** The constant of {@code values} whose toString() (its config spelling) matches the key's value, ignoring case. */
    <E extends Enum<E>> E choice(String key, E[] values) {
        return choice(key, values, E::toString);
    }

    /** The constant of {@code values} whose {@code spelling} matches the key's value, ignoring case. */
    <E> E choice(String key, E[] values, Function<E, String> spelling) {
        return choice(key, values, spelling, null, "");
    }

    /**
     * As {@link #choice(String, Object[], Function)}, where "auto" (listed first in the message) means {@code auto}
     * unless that is null; {@code orElse} ends the message's list with what else the key takes.
     */
    <E> E choice(String key, E[] values, Function<E, String> spelling, E auto, String orElse) {
        String s = string(key).trim();
        if (auto != null && AUTO.equalsIgnoreCase(s)) {
            return auto;
        }
        List<String> names = new ArrayList<>();
        if (auto != null) {
            names.add(AUTO);
        }
        for (E e : values) {
            if (spelling.apply(e).equalsIgnoreCase(s)) {
                return e;
            }
            names.add(spelling.apply(e));
        }
        throw new UserError(key + ": unknown '" + ConfigLoader.oneLine(s) + "', expected one of " + names + orElse);
    }

    long longValue(String key) {
        ConfigValue v = value(key);
        Long n = asLong(v);
        if (n == null) {
            throw wrong(key, "an integer", v);
        }
        return n;
    }

    /** An int that is at least {@code min}. */
    int intAtLeast(String key, int min) {
        long n = longValue(key);
        if (n < min) {
            throw new UserError(key + ": must be >= " + min + ", got " + show(value(key)));
        }
        if (n > Integer.MAX_VALUE) {
            throw new UserError(key + ": must be <= " + Integer.MAX_VALUE + ", got " + show(value(key)));
        }
        return (int) n;
    }

    double doubleValue(String key) {
        ConfigValue v = value(key);
        Double d = null;
        if (v.valueType() == ConfigValueType.NUMBER) {
            d = ((Number) v.unwrapped()).doubleValue();
        } else if (v.valueType() == ConfigValueType.STRING) {
            try {
                d = Double.parseDouble(((String) v.unwrapped()).trim());
            } catch (NumberFormatException e) {
                d = null;
            }
        }
        if (d == null || !Double.isFinite(d)) {
            throw wrong(key, "a number", v);
        }
        return d;
    }

    /**
     * A number within bounds; {@code lowOpen}/{@code highOpen} exclude the bound, an infinite bound is absent.
     * The message spells the rule as the user would write it: "> 0", ">= 0", "in [0, 1)".
     */
    double doubleIn(String key, double low, boolean lowOpen, double high, boolean highOpen) {
        double d = doubleValue(key);
        boolean okLow = lowOpen ? d > low : d >= low;
        boolean okHigh = highOpen ? d < high : d <= high;
        if (okLow && okHigh) {
            return d;
        }
        String rule;
        if (Double.isInfinite(high)) {
            rule = (lowOpen ? "> " : ">= ") + fmt(low);
        } else {
            rule = "in " + (lowOpen ? "(" : "[") + fmt(low) + ", " + fmt(high) + (highOpen ? ")" : "]");
        }
        throw new UserError(key + ": must be " + rule + ", got " + show(value(key)));
    }

    /**
     * Column names or indices: a list of strings (numbers read as their text), or one meaning a list of one. A list
     * of several names every column once, none empty, and none holding a comma (the readers get them joined by one).
     */
    List<String> columnList(String key) {
        ConfigValue v = value(key);
        if (v.valueType() != ConfigValueType.LIST) {
            return List.of(string(key));
        }
        List<String> out = new ArrayList<>();
        for (ConfigValue e : (ConfigList) v) {
            if (e.valueType() != ConfigValueType.STRING && e.valueType() != ConfigValueType.NUMBER) {
                throw wrong(key, "a list of column names or 0-based indices", v);
            }
            out.add(String.valueOf(e.unwrapped()).trim());
        }
        if (out.size() > 1 && out.stream().anyMatch(String::isEmpty)) {
            throw new UserError(key + ": a list needs a column name or 0-based index in every place, got " + out);
        }
        if (out.size() > 1 && out.stream().anyMatch(col -> col.contains(","))) {
            throw new UserError(key + ": a column whose name holds a comma cannot be listed; give its 0-based index"
                    + " instead");
        }
        if (out.size() > 1 && out.stream().distinct().count() < out.size()) {
            throw new UserError(key + ": names a column twice: " + out);
        }
        return List.copyOf(out);
    }

    /** A list of strings; a single string counts as a one-element list. */
    List<String> stringList(String key) {
        ConfigValue v = value(key);
        if (v.valueType() == ConfigValueType.STRING) {
            return List.of(String.valueOf(v.unwrapped()).trim());
        }
        if (v.valueType() != ConfigValueType.LIST) {
            throw wrong(key, "a list of strings", v);
        }
        List<String> out = new ArrayList<>();
        for (ConfigValue e : (ConfigList) v) {
            if (e.valueType() != ConfigValueType.STRING) {
                throw wrong(key, "a list of strings", v);
            }
            out.add(String.valueOf(e.unwrapped()).trim());
        }
        return List.copyOf(out);
    }

    /** Layer sizes: a list of integers, or a single integer meaning one layer (handy with --set model.hidden=64). */
    int[] intList(String key) {
        ConfigValue v = value(key);
        if (v.valueType() == ConfigValueType.NUMBER && asLong(v) != null) {
            return new int[] {toInt(key, asLong(v), v)};
        }
        if (v.valueType() != ConfigValueType.LIST) {
            throw wrong(key, "a list of integers", v);
        }
        ConfigList list = (ConfigList) v;
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            Long n = asLong(list.get(i));
            if (n == null) {
                throw wrong(key, "a list of integers", v);
            }
            out[i] = toInt(key, n, v);
        }
        return out;
    }

    private static int toInt(String key, long n, ConfigValue v) {
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw wrong(key, "integers that fit in 32 bits", v);
        }
        return (int) n;
    }

    /** Integral numbers (10 or 10.0) and strings holding one ("10" from a quoted value). */
    private static Long asLong(ConfigValue v) {
        if (v.valueType() == ConfigValueType.NUMBER) {
            Number x = (Number) v.unwrapped();
            if (x instanceof Integer || x instanceof Long) {
                return x.longValue();
            }
            double d = x.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (long) d : null;
        }
        if (v.valueType() == ConfigValueType.STRING) {
            try {
                return Long.parseLong(((String) v.unwrapped()).trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static UserError wrong(String key, String expected, ConfigValue v) {
        return new UserError(key + ": expected " + expected + ", got '" + show(v) + "'");
    }

    /** The value as the user wrote it: strings bare, everything else as compact HOCON. */
    static String show(ConfigValue v) {
        String s = v.valueType() == ConfigValueType.STRING
                ? (String) v.unwrapped()
                : v.render(ConfigRenderOptions.concise());
        return ConfigLoader.oneLine(s);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** Wraps a typesafe failure (e.g. a parent path that is not an object) as a one-liner. */
    static UserError fromTypesafe(ConfigException e) {
        return ConfigLoader.userError(e, "config");
    }
}
