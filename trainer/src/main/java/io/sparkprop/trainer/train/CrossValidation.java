// k-fold cross-validation on the training rows, run before the main training when eval.folds > 1.
package io.sparkprop.trainer.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.Splits;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.nn.Network;

/** Each fold gets its own scaler, weights and engine; the folds' headline metrics go into summary.json. */
final class CrossValidation {
    private CrossValidation() {
    }

    /** Returns {cv_accuracy: [one headline metric per fold], cv_accuracy_mean}. */
    static Map<String, Object> run(TrainConfig cfg, PreparedData data, RunStart start, RunHooks hooks,
            PrintStream log) {
        List<Double> acc = new ArrayList<>();
        List<Splits.Split> folds = Splits.kFold(data.all, cfg.folds(), cfg.seed());
        for (int k = 0; k < folds.size(); k++) {
            PreparedData fold = data.forFold(folds.get(k));
            Network net = fold.network(cfg);
            BatchPlan plan = ConfiguredUpdater.plan(cfg, fold.train.rows, cfg.seed() + k);
            TrainState state = start.fresh(net);
            try (Engine engine = hooks.engine(net, fold, plan)) {
                new Trainer(net, engine, ConfiguredUpdater.rule(cfg, net, plan), CheckpointStore.NONE, 0, 0)
                        .run(state, cfg.epochs(), r -> { });
                Metrics m = Metrics.of(engine.evaluate(state.params, Engine.Split.TEST), net);
                acc.add(m.headline());
                log.printf("fold %d/%d: %s %.4f%n", k + 1, folds.size(),
                        m.isClassification() ? "accuracy" : "r2", m.headline());
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cv_accuracy", acc);
        s.put("cv_accuracy_mean", acc.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        return s;
    }
}
