// The training, validation and test rows of a run, loaded, checked, split and scaled the same way every time.
package io.sparkprop.trainer.train;

import java.io.PrintStream;
import java.util.List;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.CategoricalColumns;
import io.sparkprop.trainer.config.ClassWeights;
import io.sparkprop.trainer.config.Precision;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.CategoricalSlots;
import io.sparkprop.trainer.data.CsvReader;
import io.sparkprop.trainer.data.DataLoader;
import io.sparkprop.trainer.data.DataSpec;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Loaded;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.data.Splits;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.nn.Loss;

/**
 * {@code train}/{@code validation} split the training rows by data.validation-fraction; the scaler is fitted on
 * {@code train} only and applied to every split. Only the scaled splits are kept (as floats under
 * compute.precision = float32): the unscaled table {@code all} is kept only for k-fold cross-validation,
 * which refits the scaler per fold, and is null otherwise. Row weights (data.weight-column) travel with the rows
 * of every split; train.class-weights are resolved on {@code train} (each fold's own rows) and set on it alone.
 */
public final class PreparedData implements TrainingData {
    /** Every training row, unscaled, when eval.folds &gt; 1; else null. */
    public final Dataset all;
    public final Dataset train;
    public final Dataset validation;
    public final Dataset test;
    public final Scaler scaler;
    public final long skippedRows;
    public final List<Long> skippedLines;
    private final List<String> header;
    private final String scaleKind;
    private final boolean float32;
    private final ClassWeights classWeights;
    private final Categorical categorical;

    private PreparedData(Dataset all, Dataset train, Dataset validation, Dataset test, String scaleKind,
                         boolean float32, ClassWeights classWeights, long skippedRows, List<Long> skippedLines,
                         List<String> header, Categorical categorical) {
        this.all = all;
        this.categorical = categorical;
        this.scaleKind = scaleKind;
        this.float32 = float32;
        this.classWeights = classWeights;
        this.scaler = Scaler.fit(scaleKind, train).keeping(categorical.slots()); // codes stay codes
        this.train = stored(scaler.apply(train)).withClassWeights(classWeights.perClass(train));
        this.validation = validation == null ? null : stored(scaler.apply(validation));
        this.test = test == null ? null : stored(scaler.apply(test));
        this.skippedRows = skippedRows;
        this.skippedLines = skippedLines;
        this.header = header;
    }

    public static PreparedData load(TrainConfig cfg, PrintStream log) {
        boolean classification = cfg.classification();
        DataSpec spec = new DataSpec(cfg.dataTrain(), cfg.format(), cfg.labelColumn(), cfg.numFeatures(),
                classification, null, cfg.onBadRow(), cfg.seed()).withWeightColumn(cfg.weightColumn());
        Loaded train = DataLoader.load(spec);
        report(train, cfg.dataTrain(), log);
        checkLossFits(cfg.loss(), train.data());
        Dataset test = null;
        long skipped = train.skippedRows();
        if (cfg.hasTest()) {
            Loaded t = DataLoader.load(new DataSpec(cfg.dataTest(), cfg.format(), cfg.labelColumn(),
                    train.data().features, classification, train.data().classNames, cfg.onBadRow(), cfg.seed())
                    .withWeightColumn(cfg.weightColumn()));
            report(t, cfg.dataTest(), log);
            if (t.data().features != train.data().features) {
                throw new UserError(cfg.dataTest() + ": " + t.data().features + " features, the training data has "
                        + train.data().features);
            }
            test = t.data();
            skipped += t.skippedRows();
        }
        Dataset all = train.data();
        Dataset tr = all;
        Dataset val = null;
        if (cfg.validationFraction() > 0) {
            Splits.Split s = Splits.trainValidation(all, cfg.validationFraction(), cfg.seed());
            tr = s.train();
            val = s.test();
        }
        String scale = cfg.scale().kindFor(train.format()).id();
        Categorical cats = categorical(cfg, train);
        CategoricalSlots.check(all, cats.slots(), cats.cardinalities(), cats.names(), cfg.dataTrain());
        if (test != null) {
            CategoricalSlots.check(test, cats.slots(), cats.cardinalities(), cats.names(), cfg.dataTest());
        }
        try {
            return new PreparedData(cfg.folds() > 1 ? all : null, tr, val, test, scale,
                    cfg.computePrecision() == Precision.FLOAT32, cfg.classWeights(), skipped, train.skippedLines(),
                    train.header(), cats);
        } catch (Scaler.Overflow o) {
            throw new UserError(cfg.dataTrain() + ": " + CsvReader.featureColumn(train.header(), cfg.labelColumn(),
                    all.features, o.feature) + ": " + o.reason, o);
        }
    }

    /** data.categorical-columns resolved against the training file's columns (named by header when it has one). */
    public static Categorical categorical(TrainConfig cfg, Loaded train) {
        List<CategoricalColumns.Column> cols = cfg.categoricalColumns();
        if (cols.isEmpty()) {
            return Categorical.NONE;
        }
        List<String> names = cols.stream().map(CategoricalColumns.Column::column).toList();
        int[] slots = "csv".equals(train.format())
                ? CategoricalSlots.resolve(names, train.header(), train.data().features, cfg.labelColumn(),
                cfg.weightColumn(), cfg.dataTrain())
                : CategoricalSlots.featureIndices(names, train.data().features, cfg.dataTrain());
        int[] cards = cols.stream().mapToInt(CategoricalColumns.Column::cardinality).toArray();
        return new Categorical(slots, cards, names);
    }

    @Override
    public Categorical categorical() {
        return categorical;
    }

    /** Scaled features as they are kept for training: floats under compute.precision = float32. */
    private Dataset stored(Dataset scaled) {
        return float32 ? scaled.toFloat32() : scaled;
    }

    /** The same preparation for one CV fold: scaler refitted on the fold's training rows. */
    public PreparedData forFold(Splits.Split fold) {
        return new PreparedData(all, fold.train(), null, fold.test(), scaleKind, float32, classWeights, 0, List.of(),
                header, categorical);
    }

    @Override
    public int features() {
        return train.features;
    }

    @Override
    public int numClasses() {
        return train.numClasses();
    }

    @Override
    public int targets() {
        return train.targets;
    }

    @Override
    public List<String> classNames() {
        return train.classNames;
    }

    @Override
    public int trainRows() {
        return train.rows;
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public Scaler scaler() {
        return scaler;
    }

    @Override
    public long skippedRows() {
        return skippedRows;
    }

    @Override
    public List<Long> skippedLines() {
        return skippedLines;
    }

    @Override
    public String describe() {
        return train.rows + " train" + (validation == null ? "" : " / " + validation.rows + " val")
                + (test == null ? "" : " / " + test.rows + " test") + " rows" + (float32 ? ", float32 features" : "");
    }

    private static void report(Loaded l, String path, PrintStream log) {
        log.println("data " + path + ": " + l.describe());
        if (l.skippedRows() > 0) {
            log.println("data " + path + ": skipped " + l.skippedRows() + " bad rows (data.on-bad-row = skip),"
                    + " first at lines " + l.skippedLines());
        }
    }

    private static void checkLossFits(Loss loss, Dataset d) {
        if (loss.oneClassColumn() && d.numClasses() < 2) {
            throw new UserError("model.loss: " + loss.configName + " needs at least two classes in data.train");
        }
    }
}
