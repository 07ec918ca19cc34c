// data.categorical-columns and the layer-norm/embedding entries at the config edge: each misuse is one line
// naming its key.
package io.sparkprop.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.nn.LayerKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class CategoricalColumnsTest {
    static final String EMB = "model.layers = [{type = embedding, dim = 4}, {type = layer-norm}], ";

    private static TrainConfig parse(String text) {
        return TrainConfig.from(ConfigFactory.parseString(text));
    }

    private static String error(String text) {
        String e = assertThrows(UserError.class, () -> parse(text)).getMessage();
        assertTrue(!e.contains("\n"), e);
        return e;
    }

    @Test
    void columnsAndLayersRead() {
        TrainConfig cfg = parse(EMB + "data.categorical-columns = [{column = color, cardinality = 12},"
                + " {column = 3, cardinality = 2}]");
        assertEquals(List.of(new CategoricalColumns.Column("color", 12), new CategoricalColumns.Column("3", 2)),
                cfg.categoricalColumns());
        assertEquals(LayerKind.EMBEDDING, cfg.layers().get(0).kind());
        assertEquals(4, cfg.layers().get(0).units());
        assertEquals(1e-5, cfg.layers().get(1).epsilon());
        assertEquals(1e-3, parse("model.layers = [{type = layer-norm, epsilon = 1e-3}]").layers().get(0).epsilon());
        assertTrue(parse("").categoricalColumns().isEmpty());
    }

    @Test
    void eachMisuseNamesItsKey() {
        assertTrue(error(EMB + "data.categorical-columns = [{column = color}]")
                .startsWith("data.categorical-columns[0].cardinality: missing"));
        assertTrue(error(EMB + "data.categorical-columns = [{column = color, cardinality = 2.5}]")
                .startsWith("data.categorical-columns[0].cardinality: expected an integer"));
        assertTrue(error(EMB + "data.categorical-columns = [{column = color, cardinality = 0}]")
                .startsWith("data.categorical-columns[0].cardinality: expected an integer"));
        assertTrue(error(EMB + "data.categorical-columns = [{cardinality = 3}]")
                .startsWith("data.categorical-columns[0].column: missing"));
        assertTrue(error(EMB + "data.categorical-columns = [{column = c, cardinality = 3, dim = 2}]")
                .startsWith("data.categorical-columns[0].dim: not a key"));
        assertTrue(error(EMB + "data.categorical-columns = [{column = c, cardinality = 3}, {column = c,"
                + " cardinality = 4}]").startsWith("data.categorical-columns[1].column: \"c\" is listed twice"));
        assertTrue(error(EMB + "data.label-column = y, data.categorical-columns = [{column = y, cardinality = 3}]")
                .startsWith("data.categorical-columns[0].column: \"y\" is also data.label-column"));
        assertTrue(error(EMB + "data.weight-column = w, data.categorical-columns = [{column = w, cardinality = 3}]")
                .startsWith("data.categorical-columns[0].column: \"w\" is also data.weight-column"));
        assertTrue(error(EMB + "data.categorical-columns = color").startsWith("data.categorical-columns: expected"));
    }

    @Test
    void embeddingMustComeFirstAndCategoricalColumnsNeedIt() {
        assertTrue(error("model.layers = [{type = dense, units = 3}, {type = embedding, dim = 2}],"
                + " data.categorical-columns = [{column = c, cardinality = 3}]")
                .startsWith("model.layers[1]: embedding must be the first layer"));
        assertTrue(error("data.categorical-columns = [{column = c, cardinality = 3}]")
                .startsWith("data.categorical-columns: 1 categorical columns need model.layers to start with"));
        assertTrue(error("model.layers = [{type = embedding}], data.categorical-columns = [{column = c,"
                + " cardinality = 3}]").startsWith("model.layers[0].dim: missing"));
        assertTrue(error("model.layers = [{type = layer-norm, epsilon = 0}]")
                .startsWith("model.layers[0].epsilon: expected a number > 0"));
        assertTrue(error("model.layers = [{type = layer-norm, units = 3}]")
                .startsWith("model.layers[0].units: not a key of layer-norm (it takes epsilon)"));
    }
}
