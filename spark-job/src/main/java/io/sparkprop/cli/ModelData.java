// Loads data for a saved model: same label mapping, same feature count, the model's scaling applied.
package io.sparkprop.cli;

import java.util.List;

import com.typesafe.config.ConfigFactory;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.CategoricalSlots;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.data.DataLoader;
import io.sparkprop.trainer.data.DataSpec;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Loaded;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.nn.Categorical;

/** Shared by evaluate and predict; format and label column come from the model's own training config. */
final class ModelData {
    private ModelData() {
    }

    /** The config the model was trained with (defaults for a model saved without one). */
    static TrainConfig config(Model model) {
        if (model.config() == null || model.config().isBlank()) {
            return TrainConfig.from(ConfigLoader.load(null, List.of()));
        }
        return TrainConfig.from(ConfigFactory.parseString(model.config()).withFallback(ConfigLoader.reference())
                .resolve());
    }

    /** The target columns of a model trained on several (data.label-column = [t1, t2]), else null. */
    static List<String> targetNames(Model model) {
        TrainConfig cfg = config(model);
        return cfg.multiTarget() ? cfg.labelColumns() : null;
    }

    static Dataset load(Model model, String path) {
        TrainConfig cfg = config(model);
        // A model trained on Parquet scores text files by their own format (Parquet is read by Spark only).
        DataFormat format = cfg.format() == DataFormat.PARQUET ? DataFormat.AUTO : cfg.format();
        Loaded loaded = DataLoader.load(new DataSpec(path, format, cfg.labelColumn(), model.features(),
                model.isClassification(), model.classNames(), cfg.onBadRow(), cfg.seed())
                .withExpectedHeader(model.header()).withWeightColumn(cfg.weightColumn()));
        Dataset d = loaded.data();
        if (d.features != model.features()) {
            throw new UserError(path + ": " + d.features + " features, the model expects " + model.features());
        }
        Categorical cats = model.net().stack == null ? Categorical.NONE : model.net().stack.categorical();
        CategoricalSlots.check(d, cats.slots(), cats.cardinalities(), cats.names(), path);
        Scaler scaler = Scaler.of(Scaler.Kind.parse(model.scaleKind()), model.shift(), model.scale());
        return scaler.apply(d);
    }
}
