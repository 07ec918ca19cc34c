// A sweep parameter that varies one field of one model.layers entry: "model.layers.0.filters" (or
// "model.layers[0].filters", the spelling of the config's own error messages).
package io.sparkprop.trainer.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import io.sparkprop.trainer.UserError;

/**
 * HOCON's {@code withValue("model.layers.0.filters", v)} would replace the list with an object {"0": {...}}, so
 * such a path is applied here instead: entry i of the trial's model.layers gets the key set, the other entries
 * and keys stay. Whether the key belongs to that layer's type is checked by the config reader, as for any
 * trial ("model.layers[0].filterz: not a key of conv2d ...").
 */
final class LayerField {
    private static final Pattern PATH = Pattern.compile("model\\.layers(?:\\.(\\d+)|\\[(\\d+)])\\.([A-Za-z][\\w-]*)");

    private LayerField() {
    }

    /** Whether {@code path} names a field of one model.layers entry. */
    static boolean matches(String path) {
        return PATH.matcher(path).matches();
    }

    /** {@code c} with field {@code path} of its model.layers entry set to v; an index past the list is an error. */
    static Config apply(Config c, String path, ConfigValue v) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException(path);
        }
        int i = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
        ConfigList list = c.hasPath("model.layers") ? c.getList("model.layers") : null;
        if (list == null || i >= list.size()) {
            throw new UserError(SweepSpec.where(path) + ": model.layers has " + (list == null ? 0 : list.size())
                    + " entries, so there is no entry " + i);
        }
        ConfigValue entry = list.get(i);
        if (entry.valueType() != ConfigValueType.OBJECT) {
            throw new UserError(SweepSpec.where(path) + ": model.layers[" + i + "] is not a layer object");
        }
        List<ConfigValue> out = new ArrayList<>(list);
        out.set(i, ((ConfigObject) entry).withValue(m.group(3), v));
        return c.withValue("model.layers", ConfigValueFactory.fromIterable(out));
    }
}
