// One configuration of a sweep: the base config plus its swept values, named by the hash of the result.
package io.sparkprop.trainer.sweep;

import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;

import io.sparkprop.trainer.config.TrainConfig;

/**
 * @param index  position in the plan (grid order, or the random draw's number), for stable tie-breaks
 * @param id     first 12 hex digits of the canonical hash of {@code config}: equal configs share an id, so no
 *               configuration trains twice, and ids survive reordering or extending the search space
 * @param values the swept path → value, sorted by path
 * @param config the trial's resolved config without the sweep block (what best.conf holds)
 * @param run    what the trial trains with: config plus the sweep's checkpoint settings (see {@link Trials})
 */
public record Trial(int index, String id, Map<String, ConfigValue> values, Config config, TrainConfig run) {

    /** "optimizer.learning-rate=0.01 model.hidden=[16]" for logs and tables. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (var e : values.entrySet()) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(e.getKey()).append('=').append(show(e.getValue()));
        }
        return sb.toString();
    }

    /** A value as compact HOCON, doubles cut to 4 significant digits (full precision stays in the config). */
    public static String show(ConfigValue v) {
        if (v.unwrapped() instanceof Double d) {
            String s = String.format(java.util.Locale.ROOT, "%.4g", d);
            return Double.toString(Double.parseDouble(s)).replaceAll("\\.0$", "");
        }
        return v.render(ConfigRenderOptions.concise()).replace("\"", "");
    }
}
