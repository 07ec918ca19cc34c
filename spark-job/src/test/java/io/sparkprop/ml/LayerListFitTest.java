// The Spark ML estimators fit dense networks only: a config with model.layers is refused in one line.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

class LayerListFitTest {
    @Test
    void aLayerListIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameFit.config(
                "model.layers = [{type = dense, units = 4}]", ConfigFactory.empty(), ConfigFactory.empty(), "fit"));
        assertEquals("fit: model.layers: the Spark ML estimators fit dense networks (model.hidden) only; train a"
                + " layer list with the CLI", e.getMessage());
    }
}
