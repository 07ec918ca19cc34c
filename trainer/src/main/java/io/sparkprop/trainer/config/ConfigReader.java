// Typed, range-checked reads from a resolved Config, and the unknown-key check with its did-you-mean.
// Every failure is a one-line UserError that starts with the key path.
package io.sparkprop.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.sparkprop.trainer.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Package-private helper of {@link TrainConfig}; typesafe's own getters give multi-line, origin-laden messages. */
final class ConfigReader {
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

    /** One of {@code names}, case-insensitively; returned in the canonical spelling. */
    String choice(String key, List<String> names) {
        String s = string(key).trim();
        for (String n : names) {
            if (n.equalsIgnoreCase(s)) {
                return n;
            }
        }
        throw new UserError(key + ": unknown '" + ConfigLoader.oneLine(s) + "', expected one of " + names);
    }

    /** The constant of {@code values} whose toString() matches the key's value, ignoring case. */
    <E extends Enum<E>> E choice(String key, E[] values) {
        String s = string(key).trim();
        for (E e : values) {
            if (e.toString().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw new UserError(key + ": unknown '" + ConfigLoader.oneLine(s) + "', expected one of "
                + Arrays.toString(values));
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

    /** Column names or indices: a list of strings (numbers read as their text), or one meaning a list of one. */
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
        return out;
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

    // ---- unknown keys -------------------------------------------------------------------------------------

    /**
     * Rejects the first (in sorted order) key that is not known, outside the free-form sweep subtree; a known
     * section given a non-object value is reported as such rather than as an unknown key.
     */
    static void checkKeys(ConfigObject root, Set<String> known) {
        Set<String> sections = new TreeSet<>();
        for (String k : known) {
            List<String> parts = ConfigUtil.splitPath(k);
            for (int i = 1; i < parts.size(); i++) {
                sections.add(ConfigUtil.joinPath(parts.subList(0, i)));
            }
        }
        walk(root, new ArrayList<>(), known, sections);
    }

    private static void walk(ConfigObject obj, List<String> prefix, Set<String> known, Set<String> sections) {
        for (String k : new TreeSet<>(obj.keySet())) {
            List<String> parts = new ArrayList<>(prefix);
            parts.add(k);
            String path = ConfigUtil.joinPath(parts);
            ConfigValue v = obj.get(k);
            if (path.equals(ConfigLoader.SWEEP) || known.contains(path)) {
                continue; // known leaves are type-checked when read
            }
            if (sections.contains(path)) {
                if (!(v instanceof ConfigObject child)) {
                    throw wrong(path, "an object { ... }", v);
                }
                walk(child, parts, known, sections);
            } else if (v instanceof ConfigObject child && !child.isEmpty()) {
                walk(child, parts, known, sections); // report the first leaf: 'optimzer.name', not 'optimzer'
            } else {
                throw unknownKey(path, known);
            }
        }
    }

    static UserError unknownKey(String path, Collection<String> known) {
        String s = suggest(path, known);
        return new UserError("unknown key '" + path + "'" + (s == null ? "" : " (did you mean '" + s + "'?)"));
    }

    /** The known key the user most likely meant, or null when nothing is close. */
    static String suggest(String path, Collection<String> known) {
        String p = path.toLowerCase(Locale.ROOT);
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = levenshtein(p, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        if (bestD <= 3) {
            return best;
        }
        // The right leaf in the wrong place ('learning-rate' at top level), or a truncated/extended leaf
        // ('train.early-stopping'), preferring a key in the same section.
        String leaf = leaf(p);
        String section = p.contains(".") ? p.substring(0, p.lastIndexOf('.')) : "";
        String loose = null;
        for (String k : known) {
            String kl = leaf(k);
            boolean close = levenshtein(leaf, kl) <= 2
                    || leaf.length() >= 4 && (kl.startsWith(leaf) || leaf.startsWith(kl));
            if (close) {
                if (k.startsWith(section + ".") || kl.equals(leaf)) {
                    return k;
                }
                loose = loose == null ? k : loose;
            }
        }
        return loose;
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Wraps a typesafe failure (e.g. a parent path that is not an object) as a one-liner. */
    static UserError fromTypesafe(ConfigException e) {
        return ConfigLoader.userError(e, "config");
    }
}
