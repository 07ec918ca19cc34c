// `sparkprop gradcheck`: central-difference check of the configured network's backward pass.
package io.sparkprop.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.DataLoader;
import io.sparkprop.trainer.data.DataSpec;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Loaded;
import io.sparkprop.trainer.model.InitialWeights;
import io.sparkprop.trainer.nn.GradientCheck;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.train.PreparedData;
import io.sparkprop.trainer.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Builds the configured network (input and output sizes from the configured data, its weight column not a
 * feature), draws a small random batch with targets that fit the loss, and compares analytic and numeric
 * gradients of the loss a training step takes: with data.weight-column the rows get random weights, with
 * train.class-weights the configured class weights (balanced: counted on the file's rows), so the weighted
 * loss's gradient is what is checked. Exit 1 above tolerance.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Check every gradient of the configured network by central differences.")
final class GradcheckCommand implements Callable<Integer> {
    static final int ROWS = 4;
    /** How the random rows' weights are drawn when the data has a weight column. */
    static final String ROW_WEIGHTS = "drawn in [0.25, 2)";

    @Mixin
    CommonOptions common;

    @Option(names = "--tolerance", description = "Largest relative error accepted (default 1e-6; 1e-3 when"
            + " compute.precision = float32, whose analytic gradient is checked against float64 differences).")
    Double tolerance;

    @Option(names = "--max-per-tensor", defaultValue = "200",
            description = "Entries checked per tensor, chosen at random, for wide layers (default ${DEFAULT-VALUE}).")
    int maxPerTensor;

    @Override
    public Integer call() {
        if (tolerance != null && !(tolerance > 0)) {
            throw new UserError("--tolerance: must be > 0, got " + tolerance);
        }
        if (maxPerTensor < 1) {
            throw new UserError("--max-per-tensor: must be >= 1, got " + maxPerTensor);
        }
        TrainConfig cfg = common.load();
        Loaded loaded = DataLoader.load(new DataSpec(cfg.dataTrain(), cfg.format(), cfg.labelColumn(),
                cfg.numFeatures(), cfg.classification(), null, cfg.onBadRow(), cfg.seed())
                .withWeightColumn(cfg.weightColumn()));
        Dataset real = loaded.data();
        Network net = TrainingData.network(cfg, real.features, real.numClasses(), real.targets,
                PreparedData.categorical(cfg, loaded));
        double[] params = InitialWeights.of(net, cfg.init(), cfg.seed(), cfg.initFile());
        SplittableRandom r = new SplittableRandom(cfg.seed());
        for (int l = 0; l < net.layout().layers(); l++) { // non-zero biases so their gradients are exercised
            for (int j = 0; j < net.layout().biasSize(l); j++) {
                params[net.layout().bOffset(l) + j] = r.nextDouble(-.1, .1);
            }
        }
        Dataset batch = randomBatch(net, real, r, cfg.classWeights().perClass(real));
        Map<String, Double> worst = GradientCheck.run(net, params, batch, cfg.backend().gemm(),
                maxPerTensor, cfg.seed());
        System.out.println("network " + net + ", " + ROWS + " random rows, eps " + GradientCheck.EPS);
        if (batch.weighted()) {
            double[] w = new double[ROWS];
            for (int i = 0; i < ROWS; i++) w[i] = batch.trainingWeight(i);
            System.out.println("weighted loss Σ w·C, row weights w " + Arrays.toString(w) + " ("
                    + (batch.w != null ? ROW_WEIGHTS + " for " + cfg.weightColumn() : "")
                    + (batch.w != null && batch.classWeight != null ? " × " : "")
                    + (batch.classWeight != null ? "train.class-weights " + Arrays.toString(batch.classWeight) : "")
                    + ")");
        }
        System.out.println("loss " + GradientCheck.loss(net, params, batch, cfg.backend().gemm()));
        double max = 0;
        for (Map.Entry<String, Double> e : worst.entrySet()) {
            System.out.printf("%-6s max relative error %.3e%n", e.getKey(), e.getValue());
            max = Math.max(max, e.getValue());
        }
        System.out.println("max_relative_error=" + max);
        return max <= (tolerance != null ? tolerance : GradientCheck.tolerance(net)) ? 0 : 1;
    }

    /**
     * ROWS random rows: features in [-1, 1), category codes, targets that fit the loss, then (drawn last, so the
     * rows are those of an unweighted check) row weights when {@code real} has a weight column, and perClass.
     */
    private static Dataset randomBatch(Network net, Dataset real, SplittableRandom r, double[] perClass) {
        double[] x = new double[ROWS * net.inputs()];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
        Categorical cats = net.stack == null ? Categorical.NONE : net.stack.categorical();
        for (int j = 0; j < cats.count(); j++) { // category codes, the unseen one included
            for (int i = 0; i < ROWS; i++) x[i * net.inputs() + cats.slots()[j]] = r.nextInt(cats.rows(j));
        }
        int t = real.targets;
        double[] y = new double[ROWS * t];
        // Real values for regression, 0/1 for one sigmoid unit or multi-label, else class indices.
        int classes = t > 1 || net.outputs() == 1 ? 2 : Math.max(2, real.numClasses());
        if (perClass != null) {
            classes = Math.min(classes, perClass.length);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = net.classifier ? r.nextInt(classes) : r.nextDouble(-1, 1);
        }
        double[] w = null;
        if (real.w != null) {
            w = new double[ROWS];
            for (int i = 0; i < ROWS; i++) w[i] = r.nextDouble(0.25, 2.0);
        }
        return new Dataset(ROWS, net.inputs(), t, x, y, real.classNames).withWeights(w).withClassWeights(perClass);
    }
}
