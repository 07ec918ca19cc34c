// Loads data for a saved model: same label mapping, same feature count, the model's scaling applied.
package io.sparkprop.cli;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.DataLoader;
import io.sparkprop.trainer.data.DataSpec;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Loaded;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.model.Model;

/** Shared by evaluate and predict; reads format and label column from the model's own training config. */
final class ModelData {
    private ModelData() {
    }

    static Dataset load(Model model, String path) {
        TrainConfig cfg = TrainConfig.from(io.sparkprop.trainer.config.ConfigLoader.load(null, java.util.List.of())
                .withFallback(com.typesafe.config.ConfigFactory.empty()));
        if (model.config() != null && !model.config().isBlank()) {
            cfg = TrainConfig.from(com.typesafe.config.ConfigFactory.parseString(model.config())
                    .withFallback(io.sparkprop.trainer.config.ConfigLoader.reference()).resolve());
        }
        Loaded loaded = DataLoader.load(new DataSpec(path, cfg.format(), cfg.labelColumn(), model.features(),
                model.isClassification(), model.classNames(), cfg.onBadRow(), cfg.seed()));
        Dataset d = loaded.data();
        if (d.features != model.features()) {
            throw new UserError(path + ": " + d.features + " features, the model expects " + model.features());
        }
        Scaler scaler = Scaler.of(Scaler.Kind.parse(model.scaleKind()), model.shift(), model.scale());
        return scaler.apply(d);
    }
}
