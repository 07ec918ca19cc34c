// `sparkprop evaluate`: metrics of a saved model on a data file, as one JSON object on stdout.
package io.sparkprop.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;

import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.spark.score.SparkScoring;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on a data file; prints one JSON object (accuracy, loss, rows).")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelInput input;

    @Option(names = "--master", paramLabel = "URL",
            description = "Evaluate on Spark (CSV/LIBSVM parsed by the executors) instead of in this JVM.")
    String master;


    @Override
    public Integer call() {
        Model m = input.model();
        String data = input.data;
        Metrics metrics;
        if (master != null) {
            input.checkForSpark();
            JavaSparkContext sc = SparkContexts.start(master, "sparkprop evaluate", input.verbose);
            try {
                metrics = Metrics.of(SparkScoring.evaluate(sc, m, ModelData.config(m), data), m.net());
            } finally {
                sc.stop();
            }
        } else {
            Dataset d = ModelData.load(m, data);
            metrics = new Evaluator(m.net(), m.net().newWorkspace(Backend.AUTO.gemm())).evaluate(m.params(), d);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (metrics.isClassification()) {
            out.put("accuracy", metrics.accuracy());
        }
        out.put("loss", metrics.loss());
        out.put("rows", metrics.rows());
        if (!metrics.isClassification()) {
            out.put("rmse", metrics.rmse());
            out.put("mae", metrics.mae());
            out.put("r2", metrics.r2());
        }
        List<String> targets = ModelData.targetNames(m);
        if (targets != null && targets.size() == metrics.outputs()) {
            // Several targets: the same metrics per target column, by its name in data.label-column.
            Map<String, Object> per = new LinkedHashMap<>();
            for (int j = 0; j < targets.size(); j++) {
                Map<String, Object> t = new LinkedHashMap<>();
                if (metrics.isClassification()) {
                    t.put("accuracy", metrics.accuracy(j));
                } else {
                    t.put("rmse", metrics.rmse(j));
                    t.put("mae", metrics.mae(j));
                    t.put("r2", metrics.r2(j));
                }
                per.put(targets.get(j), t);
            }
            out.put("targets", per);
        }
        System.out.println(ConfigValueFactory.fromMap(out).render(ConfigRenderOptions.concise().setJson(true)));
        return 0;
    }
}
