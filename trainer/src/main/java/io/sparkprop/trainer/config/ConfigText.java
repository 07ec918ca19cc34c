// The resolved config as text: formatted HOCON for OUT/config.conf, and canonical JSON with its SHA-256, which
// identifies a run for checkpoints, resume and sweep trials. Both keep only the known keys (and the sweep subtree).
package io.sparkprop.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Static; the known keys are {@link ConfigLoader#knownKeys()}. */
public final class ConfigText {
    private ConfigText() {
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
        List<String> keep = new ArrayList<>(ConfigLoader.knownKeys());
        keep.add(ConfigLoader.SWEEP);
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
}
