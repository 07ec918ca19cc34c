// Canonical JSON of a config value: sorted keys, no whitespace, one spelling per number, so equal meaning hashes equal.
package io.sparkprop.trainer.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.TreeMap;

/** Used by {@link ConfigText#canonicalHash}; HOCON's renderer keeps neither key order nor number spelling stable. */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    static String of(ConfigValue v) {
        StringBuilder sb = new StringBuilder();
        json(v, sb);
        return sb.toString();
    }

    private static void json(ConfigValue v, StringBuilder sb) {
        switch (v.valueType()) {
            case OBJECT -> {
                TreeMap<String, ConfigValue> sorted = new TreeMap<>((ConfigObject) v);
                sb.append('{');
                boolean first = true;
                for (var e : sorted.entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    string(e.getKey(), sb);
                    sb.append(':');
                    json(e.getValue(), sb);
                }
                sb.append('}');
            }
            case LIST -> {
                sb.append('[');
                ConfigList list = (ConfigList) v;
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) sb.append(',');
                    json(list.get(i), sb);
                }
                sb.append(']');
            }
            case NUMBER -> sb.append(number((Number) v.unwrapped()));
            case BOOLEAN -> sb.append(v.unwrapped());
            case NULL -> sb.append("null");
            case STRING -> string((String) v.unwrapped(), sb);
        }
    }

    // 1, 1.0 and 1e0 mean the same learning rate, so they must hash the same.
    private static String number(Number n) {
        double d = n.doubleValue();
        if (n instanceof Integer || n instanceof Long) {
            return n.toString();
        }
        if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    /** Appends s as a JSON string literal. */
    public static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        sb.append('"');
    }
}
