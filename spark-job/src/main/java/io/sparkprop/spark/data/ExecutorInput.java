// Training input read on the executors (CSV/LIBSVM splits, or a DataFrame's partitions), placed into cached
// blocks (under train.shuffle = chunks, every split's rows into uncached chunk-sized blocks), never collected; the
// blocks themselves are a DistributedData.
package io.sparkprop.spark.data;

import io.sparkprop.spark.exec.Block;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.Precision;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.ClassLabels;
import io.sparkprop.trainer.data.CsvReader;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.train.TrainingData;

/**
 * Each input split is parsed by the trainer's own readers ({@link Chunks}), so messages name the file's real
 * lines (a DataFrame's partitions become chunks through {@link FrameInput}); only per-chunk metadata (line and row counts, class names, widths) reaches the driver. Rows get global
 * ids in file order, validation rows are chosen by a hash of (seed, id), and {@link Placement} moves row g of
 * each split to partition g mod P. The driver then holds O(features + classes + partitions) values.
 */
public final class ExecutorInput implements TrainingData {
    private final DistributedData blocks;
    private final int trainRows;
    private final int features;
    private final int targets;
    private final List<String> classNames;
    private final Scaler scaler;
    private final long skipped;
    private final List<Long> skippedLines;
    private final String description;
    private Categorical categorical = Categorical.NONE;

    private ExecutorInput(DistributedData blocks, int trainRows, int features, int targets, List<String> classNames,
                          Scaler scaler, long skipped, List<Long> skippedLines, String description) {
        this.blocks = blocks;
        this.trainRows = trainRows;
        this.features = features;
        this.targets = targets;
        this.classNames = classNames;
        this.scaler = scaler;
        this.skipped = skipped;
        this.skippedLines = skippedLines;
        this.description = description;
    }

    /** The cached blocks of the splits, for an engine. */
    public DistributedData blocks() {
        return blocks;
    }

    /** True when the training file is text the executors can split and parse (CSV or LIBSVM). */
    public static boolean applies(TrainConfig cfg) {
        return cfg.folds() <= 1 && formatOf(cfg.dataTrain(), cfg.format()) != null;
    }

    /** CSV, LIBSVM, or null when the path is a builtin or IDX set (those load on the driver) or Parquet. */
    public static DataFormat formatOf(String path, DataFormat format) {
        if (format == DataFormat.CSV || format == DataFormat.LIBSVM) {
            return format;
        }
        if (format != DataFormat.AUTO || path.startsWith("builtin:")) {
            return null;
        }
        String name = path.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.gz$", "");
        if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            return DataFormat.CSV;
        }
        if (name.endsWith(".libsvm") || name.endsWith(".svm") || name.endsWith(".svmlight")) {
            return DataFormat.LIBSVM;
        }
        return null;
    }

    /** CSV or LIBSVM files (data.train, data.test), parsed split by split on the executors. */
    public static ExecutorInput read(JavaSparkContext sc, TrainConfig cfg, int partitions, PrintStream log) {
        boolean classification = cfg.classification();
        DataFormat format = formatOf(cfg.dataTrain(), cfg.format());
        if (!cfg.weightColumn().isEmpty() && format != DataFormat.CSV) {
            throw new UserError("data.weight-column: \"" + cfg.weightColumn() + "\" names a CSV column; "
                    + cfg.dataTrain() + " is " + format + " without columns (weights need CSV input, or Parquet)");
        }
        Chunks trainChunks = Chunks.parse(sc, cfg.dataTrain(), format, cfg, classification, null,
                cfg.numFeatures(), partitions);
        if (cfg.multiTarget() && trainChunks.targets() == 1) {
            throw new UserError("data.label-column: several target columns need CSV input; " + cfg.dataTrain()
                    + " is " + format + " with one label per row");
        }
        Categorical cats = CategoricalCheck.forText(cfg, trainChunks.header(), format == DataFormat.CSV,
                trainChunks.width());
        return place(sc, cfg, partitions, trainChunks, cats, (classes, width) -> {
            DataFormat testFormat = formatOf(cfg.dataTest(), format);
            if (testFormat == null) {
                throw new UserError("data.test: " + cfg.dataTest() + " must be CSV or LIBSVM like data.train when the"
                        + " Spark engine parses the data (or set data.format)");
            }
            return Chunks.parse(sc, cfg.dataTest(), testFormat, cfg, classification, classes, width, partitions);
        }, "parsed on the executors", log);
    }

    /** Reads the test split's chunks once the training split fixed the classes and the width. */
    interface TestChunks {
        Chunks read(List<String> classes, int width);
    }

    /**
     * Parsed chunks (of text files or of a DataFrame's partitions) → validation split, placement, scaling.
     * Row ids follow the chunks' order, so the same rows in the same order give the same blocks whatever the source.
     */
    static ExecutorInput place(JavaSparkContext sc, TrainConfig cfg, int partitions, Chunks trainChunks,
                               TestChunks testSource, String source, PrintStream log) {
        return place(sc, cfg, partitions, trainChunks, Categorical.NONE, testSource, source, log);
    }

    /** As above with categorical input columns: their codes are checked, and they are left unscaled. */
    static ExecutorInput place(JavaSparkContext sc, TrainConfig cfg, int partitions, Chunks trainChunks,
                               Categorical cats, TestChunks testSource, String source, PrintStream log) {
        StorageLevel level = StorageLevel.fromString(cfg.storageLevel().id());
        boolean classification = cfg.classification();
        // Several class targets are multi-label 0/1 columns, named (in order) by data.label-column.
        List<String> classes = !classification ? null
                : cfg.multiTarget() ? cfg.labelColumns() : ClassLabels.union(trainChunks.classNames());
        if (classification && classes.size() < 2) {
            throw new UserError(cfg.dataTrain() + ": only one class (label " + classes + ") found; a classifier"
                    + " needs at least two");
        }
        int width = trainChunks.width();
        CategoricalCheck.check(trainChunks, cats, cfg.dataTrain());
        Placement placement = new Placement(trainChunks, cfg.validationFraction(), cfg.seed(), partitions);
        // Under train.shuffle = chunks the rows of every split stream into chunk blocks (none holding a partition's
        // whole share) that stay uncached until the engine cuts them into the stored chunks (TrainChunks).
        int chunkRows = cfg.shuffle().chunked() ? cfg.chunkRows() : 0;
        JavaRDD<Block> train = placement.blocks(sc, false, classes, width, level, chunkRows);
        boolean marked = trainChunks.meta().stream().anyMatch(m -> m.validationRows() >= 0);
        if (cfg.validationFraction() > 0 && placement.validationRows() == 0) {
            throw new UserError("data.validation-fraction: " + cfg.validationFraction() + " of "
                    + placement.trainRows() + " rows selects no validation row; raise it or set it to 0");
        }
        if (marked && (placement.validationRows() == 0 || placement.trainRows() == 0)) {
            throw new UserError("validationIndicatorCol: marks " + placement.validationRows() + " of "
                    + (placement.trainRows() + placement.validationRows()) + " rows for validation; both the"
                    + " training and the validation rows need at least one");
        }
        JavaRDD<Block> val = cfg.validationFraction() > 0 || marked
                ? placement.blocks(sc, true, classes, width, level, chunkRows) : null;
        JavaRDD<Block> test = null;
        int testRows = 0;
        long skipped = trainChunks.skipped();
        if (cfg.hasTest()) {
            Chunks testChunks = testSource.read(classes, width);
            CategoricalCheck.check(testChunks, cats, cfg.dataTest());
            if (testChunks.width() != width) {
                throw new UserError(cfg.dataTest() + ": " + testChunks.width() + " features, the training data has "
                        + width);
            }
            Placement testPlacement = new Placement(testChunks, 0, cfg.seed(), partitions);
            test = testPlacement.blocks(sc, false, classes, width, level, chunkRows);
            testRows = (int) testPlacement.trainRows();
            skipped += testChunks.skipped();
            testChunks.unpersist();
        }
        trainChunks.unpersist();
        Scaler scaler;
        try {
            scaler = BlockStatistics.fit(cfg.scale().kindFor(formatOf(cfg.dataTrain(), cfg.format())),
                    train, width).keeping(cats.slots()); // codes stay codes
        } catch (Scaler.Overflow o) {
            throw new UserError(cfg.dataTrain() + ": " + CsvReader.featureColumn(null, cfg.labelColumn(),
                    width, o.feature) + ": " + o.reason, o);
        }
        String description = placement.trainRows() + " train" + (val == null ? "" : " / "
                + placement.validationRows() + " val") + " rows in " + partitions + " partitions"
                + (cfg.computePrecision() == Precision.FLOAT32 ? ", float32 features" : "");
        log.println("data " + cfg.dataTrain() + ": " + (placement.trainRows() + placement.validationRows())
                + " rows × " + width + " features" + (classes == null ? ", regression" : ", " + classes.size()
                + " classes") + " (" + source + ")");
        boolean f32 = cfg.computePrecision() == Precision.FLOAT32;
        double[] classWeight = classWeights(cfg, train, classes, trainChunks.targets());
        StorageLevel cached = chunkRows > 0 ? null : level; // streamed chunk blocks stay uncached
        DistributedData blocks = new DistributedData(scaled(train, scaler, cached, f32, classWeight),
                val == null ? null : scaled(val, scaler, cached, f32, null),
                test == null ? null : scaled(test, scaler, cached, f32, null), (int) placement.validationRows(),
                testRows, chunkRows);
        ExecutorInput in = new ExecutorInput(blocks, (int) placement.trainRows(), width, trainChunks.targets(),
                classes, scaler, skipped, trainChunks.firstSkippedLines(), description);
        in.categorical = cats;
        return in;
    }

    /**
     * x' = (x − shift) ⊙ scale on every block, kept as floats under compute.precision = float32; the scaled blocks
     * are cached at {@code level} and the unscaled ones dropped from the cache, or (level null: the streamed chunk
     * blocks) both are left uncached, scaled again each time they are read.
     */
    private static JavaRDD<Block> scaled(JavaRDD<Block> blocks, Scaler scaler, StorageLevel level, boolean float32,
                                         double[] classWeight) {
        JavaRDD<Block> out = blocks.map(b -> {
            Dataset d = scaler.apply(b.asDataset(null));
            return new Block(b.partition, b.features, b.targets, d.x, b.y, b.globalId)
                    .withWeights(b.w, classWeight).stored(float32);
        });
        if (level == null) {
            return out;
        }
        out.persist(level);
        out.count();
        blocks.unpersist(false);
        return out;
    }

    /**
     * train.class-weights for the training blocks (null for none): the list as given, or balanced from the class
     * counts of the training rows, counted by one small job (a class count per partition, added on the driver).
     */
    static double[] classWeights(TrainConfig cfg, JavaRDD<Block> train, List<String> classes, int targets) {
        if (cfg.classWeights().isNone()) {
            return null;
        }
        int k = classes == null ? 0 : classes.size();
        long[] counts = new long[k];
        if (cfg.classWeights().isBalanced() && classes != null && targets == 1) {
            for (long[] c : train.map(b -> {
                long[] n = new long[k];
                for (int r = 0; r < b.rows(); r++) n[(int) b.y[r]]++;
                return n;
            }).collect()) {
                for (int i = 0; i < k; i++) counts[i] += c[i];
            }
        }
        return cfg.classWeights().perClass(classes, targets, counts);
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public int numClasses() {
        return classNames == null ? 0 : classNames.size();
    }

    @Override
    public int targets() {
        return targets;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int trainRows() {
        return trainRows;
    }

    @Override
    public Scaler scaler() {
        return scaler;
    }

    @Override
    public Categorical categorical() {
        return categorical;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public long skippedRows() {
        return skipped;
    }

    @Override
    public List<Long> skippedLines() {
        return new ArrayList<>(skippedLines);
    }
}
