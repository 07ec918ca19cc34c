// data.categorical-columns read at the config edge: each entry's column and cardinality, one-line errors naming
// the entry's key ("data.categorical-columns[1].cardinality: ...").
package io.sparkprop.trainer.config;

import java.util.ArrayList;
import java.util.List;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.nn.LayerKind;
import io.sparkprop.trainer.nn.LayerSpec;

/**
 * Entries {@code { column = NAME | INDEX, cardinality = K }}: the column holds integer codes 0..K−1 of K known
 * categories, and K itself for a category not seen in training (StringIndexer's handleInvalid = keep). An empty
 * list means no categorical columns.
 */
public final class CategoricalColumns {
    static final String KEY = "data.categorical-columns";

    /** One categorical column: its name or 0-based index as written, and its number of known categories. */
    public record Column(String column, int cardinality) {
    }

    private CategoricalColumns() {
    }

    static List<Column> read(ConfigReader r, List<String> labelColumns, String weightColumn) {
        ConfigValue v = r.value(KEY);
        if (v.valueType() != ConfigValueType.LIST) {
            throw ConfigReader.wrong(KEY, "a list of { column = NAME, cardinality = K }", v);
        }
        List<Column> out = new ArrayList<>();
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            String at = KEY + "[" + i + "]";
            ConfigValue e = list.get(i);
            if (e.valueType() != ConfigValueType.OBJECT) {
                throw ConfigReader.wrong(at, "an object { column = NAME, cardinality = K }", e);
            }
            ConfigObject o = (ConfigObject) e;
            for (String k : o.keySet()) {
                if (!k.equals("column") && !k.equals("cardinality")) {
                    throw new UserError(at + "." + k + ": not a key of a categorical column (it takes cardinality,"
                            + " column)");
                }
            }
            ConfigValue c = o.get("column");
            if (c == null || !(c.valueType() == ConfigValueType.STRING || c.valueType() == ConfigValueType.NUMBER)
                    || String.valueOf(c.unwrapped()).isBlank()) {
                throw c == null ? new UserError(at + ".column: missing, expected a column name or 0-based index")
                        : ConfigReader.wrong(at + ".column", "a column name or 0-based index", c);
            }
            String column = String.valueOf(c.unwrapped()).strip();
            ConfigValue k = o.get("cardinality");
            if (k == null) {
                throw new UserError(at + ".cardinality: missing, expected the number of categories (an integer >= 1)");
            }
            double d = k.valueType() == ConfigValueType.NUMBER ? ((Number) k.unwrapped()).doubleValue() : -1;
            if (d < 1 || d != Math.rint(d) || d > 1 << 24) {
                throw ConfigReader.wrong(at + ".cardinality", "an integer in [1, 16777216]", k);
            }
            if (labelColumns.contains(column)) {
                throw new UserError(at + ".column: \"" + column + "\" is also data.label-column");
            }
            if (column.equals(weightColumn)) {
                throw new UserError(at + ".column: \"" + column + "\" is also data.weight-column");
            }
            for (Column prev : out) {
                if (prev.column().equals(column)) {
                    throw new UserError(at + ".column: \"" + column + "\" is listed twice");
                }
            }
            out.add(new Column(column, (int) d));
        }
        return List.copyOf(out);
    }

    /**
     * Categorical columns need model.layers to start with an embedding layer; an embedding layer anywhere but first
     * is refused naming its entry. (An embedding without columns fails when the stack is built: a Spark ML
     * estimator finds them in the features column's metadata instead.)
     */
    static void check(List<Column> columns, List<LayerSpec> layers) {
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).kind() == LayerKind.EMBEDDING) {
                throw new UserError(LayerList.KEY + "[" + i + "]: embedding must be the first layer (it reads the"
                        + " categorical input columns)");
            }
        }
        boolean embeds = !layers.isEmpty() && layers.get(0).kind() == LayerKind.EMBEDDING;
        if (!columns.isEmpty() && !embeds) {
            throw new UserError(KEY + ": " + columns.size() + " categorical columns need model.layers to start with"
                    + " { type = embedding, dim = ... }");
        }
    }
}
