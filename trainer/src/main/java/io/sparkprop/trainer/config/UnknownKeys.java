// The unknown-key check of a config: the first key that is neither in reference.conf nor under sweep fails, with
// the known key the user most likely meant ("did you mean ...?", by edit distance).
package io.sparkprop.trainer.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.sparkprop.trainer.UserError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Package-private helper of {@link TrainConfig} and {@link ConfigLoader#unknownKey}. */
final class UnknownKeys {
    private UnknownKeys() {
    }

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
                    throw ConfigReader.wrong(path, "an object { ... }", v);
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
}
