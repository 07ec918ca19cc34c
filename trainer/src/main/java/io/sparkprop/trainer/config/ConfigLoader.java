// Loads a run's configuration: --set overrides over the config file over reference.conf, with one-line errors.
// ConfigText renders the result (OUT/config.conf) and hashes it canonically; TrainConfig validates it.
package io.sparkprop.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.sparkprop.trainer.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Static entry points; the config itself is a plain typesafe {@link Config}, typed by {@link TrainConfig}. */
public final class ConfigLoader {
    /** Top-level sections we own. Other reference.conf files on the classpath (Spark's deps) may add more roots. */
    public static final List<String> SECTIONS =
            List.of("data", "model", "optimizer", "schedule", "train", "eval", "spark", "checkpoint", "compute");

    /** Free-form subtree validated by the sweep code, never rejected here. */
    public static final String SWEEP = "sweep";

    // A --set value that is clearly HOCON (structure, quoted, number, literal, substitution) is parsed as HOCON;
    // anything else is taken verbatim, so paths like hdfs://x/y or builtin:iris need no quoting ('//' would
    // otherwise start a comment and ':' is not allowed unquoted).
    private static final Pattern HOCON_SCALAR =
            Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|true|false|null");

    private ConfigLoader() {
    }

    /** Holder idiom: reference.conf is parsed once, on first use, thread-safely. */
    private static final class Reference {
        static final Config CONFIG = loadReference();
        static final Set<String> KEYS = Collections.unmodifiableSet(leafPaths(CONFIG));
    }

    /** Our reference.conf, restricted to {@link #SECTIONS} so foreign roots never count as known keys. */
    public static Config reference() {
        return Reference.CONFIG;
    }

    /** Every known key path (e.g. "optimizer.learning-rate"), sorted. */
    public static Set<String> knownKeys() {
        return Reference.KEYS;
    }

    /** "unknown key 'x' (did you mean 'y'?)" — for other validators of key paths, e.g. sweep axes. */
    public static UserError unknownKey(String path) {
        return UnknownKeys.unknownKey(path, knownKeys());
    }

    /** The same "did you mean" error against another set of keys, e.g. those of the sweep block. */
    public static UserError unknownKey(String path, java.util.Collection<String> known) {
        return UnknownKeys.unknownKey(path, known);
    }

    /**
     * Layers the overrides ({@code sets}, each "key=value", later wins) over the file (if any) over reference.conf
     * and resolves substitutions. Does not validate: pass the result to {@link TrainConfig#from}.
     */
    public static Config load(Path fileOrNull, List<String> sets) {
        Config merged = reference();
        if (fileOrNull != null) {
            merged = parseFile(fileOrNull).withFallback(merged);
        }
        for (String s : sets == null ? List.<String>of() : sets) {
            merged = parseSet(s).withFallback(merged);
        }
        return resolve(merged, fileOrNull == null ? "config" : fileOrNull.toString());
    }

    static Config resolve(Config c, String where) {
        try {
            return c.resolve();
        } catch (ConfigException e) {
            throw userError(e, where);
        }
    }

    private static Config parseFile(Path file) {
        if (!Files.exists(file)) {
            throw new UserError(file + ": no such config file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": not a regular file");
        }
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw userError(e, file.toString());
        }
    }

    /** One "--set key=value" as a single-key Config. */
    static Config parseSet(String s) {
        int eq = s.indexOf('=');
        String key = eq < 0 ? "" : s.substring(0, eq).trim();
        if (key.isEmpty()) {
            throw new UserError("--set " + s + ": expected key=value");
        }
        try {
            ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            throw new UserError("--set " + s + ": expected key=value, '" + key + "' is not a valid key path");
        }
        String raw = s.substring(eq + 1).trim();
        String origin = "--set " + key;
        ConfigValue value;
        if (looksLikeHocon(raw)) {
            try {
                ConfigParseOptions opts = ConfigParseOptions.defaults().setOriginDescription(origin);
                value = ConfigFactory.parseString("v = " + raw, opts).root().get("v");
            } catch (ConfigException e) {
                throw new UserError("--set " + s + ": expected key=value with a HOCON value ("
                        + oneLine(stripOrigin(e)) + ")");
            }
            if (value == null) { // e.g. "[1] // comment" parses but yields nothing usable
                throw new UserError("--set " + s + ": expected key=value");
            }
        } else {
            value = ConfigValueFactory.fromAnyRef(raw, origin);
        }
        return value.atPath(key);
    }

    private static boolean looksLikeHocon(String raw) {
        if (raw.isEmpty()) {
            return false;
        }
        char c = raw.charAt(0);
        return c == '[' || c == '{' || c == '"' || raw.startsWith("${") || HOCON_SCALAR.matcher(raw).matches();
    }

    /** "file:line: what" from a typesafe exception, whose message is "origin-description: what". */
    static UserError userError(ConfigException e, String fallbackFile) {
        ConfigOrigin o = e.origin();
        String file = o != null && o.filename() != null ? o.filename() : fallbackFile;
        int line = o != null ? o.lineNumber() : -1;
        String where = line > 0 ? file + ":" + line : file;
        return new UserError(where + ": " + oneLine(stripOrigin(e)), e);
    }

    private static String stripOrigin(ConfigException e) {
        String msg = String.valueOf(e.getMessage());
        ConfigOrigin o = e.origin();
        if (o != null && msg.startsWith(o.description() + ": ")) {
            msg = msg.substring(o.description().length() + 2);
        }
        return msg;
    }

    static String oneLine(String s) {
        return s.replace("\r", "").replace("\n", "\\n").trim();
    }

    private static Config loadReference() {
        Config all = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
        Config ours = ConfigFactory.empty();
        for (String s : SECTIONS) {
            if (!all.hasPath(s)) {
                throw new IllegalStateException("reference.conf lacks section '" + s + "' (packaging error)");
            }
            ours = ours.withFallback(all.withOnlyPath(s));
        }
        return ours.resolve();
    }

    /** Leaf paths (lists count as leaves), sorted, quoted where a key needs it. */
    static Set<String> leafPaths(Config c) {
        Set<String> out = new TreeSet<>();
        collect(c.root(), List.of(), out);
        return out;
    }

    private static void collect(ConfigObject obj, List<String> prefix, Set<String> out) {
        for (String k : new TreeSet<>(obj.keySet())) {
            List<String> path = new ArrayList<>(prefix);
            path.add(k);
            ConfigValue v = obj.get(k);
            if (v instanceof ConfigObject child && !child.isEmpty()) {
                collect(child, path, out);
            } else {
                out.add(ConfigUtil.joinPath(path));
            }
        }
    }
}
