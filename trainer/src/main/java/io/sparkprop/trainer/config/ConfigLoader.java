// Loads a run's configuration: --set overrides over the config file over reference.conf, with one-line errors.
// Also renders the resolved config (OUT/config.conf) and hashes it canonically for checkpoint/trial identity.
package io.sparkprop.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.sparkprop.trainer.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
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
        return ConfigReader.unknownKey(path, knownKeys());
    }

    /** The same "did you mean" error against another set of keys, e.g. those of the sweep block. */
    public static UserError unknownKey(String path, java.util.Collection<String> known) {
        return ConfigReader.unknownKey(path, known);
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

    /**
     * The resolved config as formatted HOCON without comments: only the known keys (and the sweep subtree),
     * so foreign reference.conf roots and anything unvalidated never reach OUT/config.conf.
     */
    public static String render(Config c) {
        ConfigRenderOptions opts = ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false).setFormatted(true);
        return known(c).root().render(opts);
    }

    /** Key-sorted compact JSON of the known keys (and sweep), with integral numbers written as integers. */
    public static String canonicalJson(Config c) {
        return CanonicalJson.of(known(c).root());
    }

    /** SHA-256 hex of {@link #canonicalJson}: equal for configs that mean the same, whatever their key order. */
    public static String canonicalHash(Config c) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(canonicalJson(c).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static Config known(Config c) {
        Config resolved = c.isResolved() ? c : c.resolve();
        Config out = ConfigFactory.empty();
        List<String> keep = new ArrayList<>(knownKeys());
        keep.add(SWEEP);
        for (String k : keep) {
            try {
                if (resolved.hasPathOrNull(k)) {
                    out = out.withFallback(resolved.withOnlyPath(k));
                }
            } catch (ConfigException e) {
                // A parent of k is not an object (validation reports that); there is nothing to keep.
            }
        }
        return out;
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
