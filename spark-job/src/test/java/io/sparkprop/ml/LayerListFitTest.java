// The Spark ML estimators take model.layers through their config param, as the CLI reads it.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import io.sparkprop.trainer.nn.LayerKind;

class LayerListFitTest {
    @Test
    void aLayerListIsReadAsTheCliReadsIt() {
        var cfg = FrameFit.config("model.layers = [{type = dense, units = 4}, {type = layer-norm}]",
                ConfigFactory.empty(), ConfigFactory.empty().withFallback(
                        io.sparkprop.trainer.config.ConfigLoader.reference()), "fit");
        assertEquals(LayerKind.DENSE, cfg.layers().get(0).kind());
        assertEquals(LayerKind.LAYER_NORM, cfg.layers().get(1).kind());
    }
}
