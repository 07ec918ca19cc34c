// Training input from a DataFrame (a Spark ML fit, or data.format = parquet): each partition becomes a chunk.
package io.sparkprop.spark.data;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.data.ClassLabels;

/**
 * The executors turn their rows (a vector column, dense or sparse, or numeric columns; a numeric or string
 * label) into {@link Chunks.Chunk}s, which then go through the same validation split, placement and scaling as
 * parsed text: rows are numbered in partition order, so a DataFrame with the rows of a CSV file in file order
 * gives the CSV's blocks bit for bit. Nothing but per-chunk metadata reaches the driver. A weight column
 * (data.weight-column, Spark ML's weightCol: {@link TrainConfig#weightColumn}) travels beside each row; a null,
 * NaN, infinite or negative weight is refused naming its column.
 */
public final class FrameInput {
    private FrameInput() {
    }

    /** data.format = parquet: data.train (and data.test) read with Spark SQL from any Hadoop path. */
    public static ExecutorInput readParquet(JavaSparkContext sc, TrainConfig cfg, int partitions, PrintStream log) {
        if (cfg.multiTarget()) {
            throw new UserError("data.label-column: several target columns need CSV input; Parquet input reads one"
                    + " label column");
        }
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> train = parquet(spark, "data.train", cfg.dataTrain());
        String label = cfg.labelColumn().isEmpty() ? "label" : cfg.labelColumn();
        List<String> features = FrameColumns.featureColumns(train.schema(), cfg.featureColumns(), label, cfg.weightColumn(),
                "data.feature-columns", "data.label-column");
        return read(train, features, label, cfg, partitions, "data.feature-columns", "data.label-column",
                cfg.hasTest() ? parquet(spark, "data.test", cfg.dataTest()) : null, "read on the executors", log);
    }

    /**
     * The frame Spark SQL reads at {@code path}. A path that matches nothing, or a file that is not Parquet (say a
     * CSV), is the user's: one line naming the key and the file.
     */
    private static Dataset<Row> parquet(SparkSession spark, String key, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            org.apache.hadoop.fs.FileStatus[] found = p.getFileSystem(spark.sparkContext().hadoopConfiguration())
                    .globStatus(p);
            if (found == null || found.length == 0) {
                throw new UserError(key + ": " + path + ": no such file or directory");
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new UserError(key + ": " + path + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            return spark.read().parquet(path);
        } catch (Exception e) { // Scala declares nothing; AnalysisException and SparkException are checked in Java
            if (e instanceof UserError u) {
                throw u;
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                // Parquet's "PATH is not a Parquet file", possibly on a "Caused by: ...Exception: " line of the
                // remote stack trace that Spark puts into a failed job's message.
                String m = String.valueOf(t.getMessage());
                int at = m.indexOf(" is not a Parquet file");
                if (at > 0) {
                    int line = m.lastIndexOf('\n', at) + 1;
                    int cls = m.lastIndexOf("Exception: ", at);
                    String file = m.substring(cls >= line ? cls + "Exception: ".length() : line, at);
                    throw new UserError(key + ": " + file + ": not a Parquet file (data.format = parquet; csv or"
                            + " libsvm read text)");
                }
            }
            String m = String.valueOf(e.getMessage());
            throw new UserError(path + ": cannot read as Parquet (" + key + ": " + m.split("\n", 2)[0] + ")");
        }
    }

    /**
     * The rows of {@code train} (and {@code test}, or null) as cached blocks. {@code featuresKey} and
     * {@code labelKey} name the setting a message should point at (a config key or a Spark ML param).
     */
    public static ExecutorInput read(Dataset<?> train, List<String> features, String label, TrainConfig cfg,
                                     int partitions, String featuresKey, String labelKey, Dataset<?> test,
                                     String source, PrintStream log) {
        return read(train, features, label, null, cfg, partitions, featuresKey, labelKey, test, source, log);
    }

    /**
     * As above; {@code validationCol} (or null) names a boolean column of {@code train} whose true rows form the
     * validation split instead of data.validation-fraction's hash (Spark ML's validationIndicatorCol).
     */
    public static ExecutorInput read(Dataset<?> train, List<String> features, String label, String validationCol,
                                     TrainConfig cfg, int partitions, String featuresKey, String labelKey,
                                     Dataset<?> test, String source, PrintStream log) {
        return read(train, features, label, validationCol, cfg, partitions, featuresKey, labelKey, test, source, log,
                null);
    }

    /**
     * As above with the categorical input columns given ({@code categorical}: a Spark ML estimator's, from the
     * features column's attributes or its param), or null: data.categorical-columns among {@code features}.
     */
    public static ExecutorInput read(Dataset<?> train, List<String> features, String label, String validationCol,
                                     TrainConfig cfg, int partitions, String featuresKey, String labelKey,
                                     Dataset<?> test, String source, PrintStream log, Categorical categorical) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext());
        boolean classification = cfg.classification();
        if (validationCol != null) {
            FrameColumns.checkIndicator(train.schema(), validationCol, cfg);
        }
        // The key a weight message names: the config key for Parquet, the Estimator's param for a fit.
        String weightKey = featuresKey.startsWith("data.") ? "data.weight-column" : "weightCol";
        String weight = cfg.weightColumn().isEmpty() ? null : cfg.weightColumn();
        if (weight != null) {
            FrameColumns.checkWeight(train.schema(), weight, label, features, weightKey);
        }
        Chunks trainChunks = chunks(train, features, label, validationCol, weight, classification, featuresKey,
                labelKey, weightKey, cfg.dataTrain());
        Categorical cats = categorical != null ? categorical
                : CategoricalCheck.forFrame(cfg, features, trainChunks.width());
        return ExecutorInput.place(sc, cfg, partitions, trainChunks, cats, (classes, width) -> {
            if (weight != null) {
                FrameColumns.checkWeight(test.schema(), weight, label, features, weightKey);
            }
            Chunks t = chunks(test, features, label, null, weight, classification, featuresKey, labelKey, weightKey,
                    cfg.dataTest());
            for (String c : t.classNames().stream().flatMap(List::stream).toList()) {
                if (ClassLabels.indexIn(classes, c) < 0) {
                    throw new UserError(cfg.dataTest() + ": label \"" + c + "\" does not occur in the training data "
                            + classes);
                }
            }
            return t;
        }, source, log);
    }

    private static Chunks chunks(Dataset<?> frame, List<String> features, String label, String validationCol,
                                 String weight, boolean classification, String featuresKey, String labelKey,
                                 String weightKey, String what) {
        StructType schema = frame.schema();
        StructField labelField = schema.apply(label);
        boolean stringLabel = labelField.dataType().equals(DataTypes.StringType);
        if (!stringLabel && !(labelField.dataType() instanceof NumericType)) {
            throw new UserError(labelKey + ": column '" + label + "' is " + labelField.dataType().simpleString()
                    + "; expected numbers or strings");
        }
        if (stringLabel && !classification) {
            throw new UserError(labelKey + ": column '" + label + "' holds strings; a regression needs numbers");
        }
        boolean vector = features.size() == 1 && FrameColumns.isVector(schema.apply(features.get(0)).dataType());
        List<String> columns = new ArrayList<>(features);
        columns.add(label);
        boolean marked = validationCol != null;
        if (marked) {
            columns.add(validationCol);
        }
        boolean weighted = weight != null;
        if (weighted) {
            columns.add(weight);
        }
        JavaRDD<Row> rows = frame.selectExpr(columns.stream().map(c -> "`" + c + "`").toArray(String[]::new))
                .toJavaRDD();
        int k = features.size();
        List<String> names = List.copyOf(columns);
        JavaRDD<Chunks.Chunk> parsed = rows.mapPartitionsWithIndex((p, it) -> List.of(
                chunk(p, it, vector, names, k, marked, weighted, classification, featuresKey, labelKey, weightKey))
                .iterator(), true);
        Chunks chunks = Chunks.of(parsed, what);
        int width = chunks.width();
        for (Chunks.Chunk.Meta m : chunks.meta()) {
            if (m.rows() > 0 && m.features() != width) {
                throw new UserError(featuresKey + ": vectors of " + m.features() + " and " + width + " features");
            }
        }
        return chunks;
    }

    /**
     * One partition's rows: x (features × rows), y the chunk-local class index or the value. {@code columns}: the
     * k feature columns, then the label column, then (with {@code marked}) the validation indicator, then (with
     * {@code weighted}) the weight; a null, NaN or infinite value (or a negative weight) is refused naming its column.
     */
    private static Chunks.Chunk chunk(int partition, Iterator<Row> it, boolean vector, List<String> columns, int k,
                                      boolean marked, boolean weighted, boolean classification, String featuresKey,
                                      String labelKey, String weightKey) {
        double[] x = new double[0];
        double[] y = new double[0];
        double[] w = weighted ? new double[0] : null;
        int wAt = columns.size() - 1;
        boolean[] validation = marked ? new boolean[0] : null;
        int rows = 0;
        int width = vector ? -1 : k;
        Map<String, Integer> classIds = new LinkedHashMap<>();
        while (it.hasNext()) {
            Row r = it.next();
            if (vector) {
                if (r.isNullAt(0)) {
                    throw refused(featuresKey, columns.get(0), "null", rows + 1, partition);
                }
                Vector v = (Vector) r.get(0);
                if (width < 0) {
                    width = v.size();
                } else if (v.size() != width) {
                    throw new UserError(featuresKey + ": vectors of " + width + " and " + v.size() + " features");
                }
            }
            if (x.length < (rows + 1) * width) x = Arrays.copyOf(x, Math.max(16, 2 * (rows + 1) * width));
            if (y.length < rows + 1) y = Arrays.copyOf(y, Math.max(16, 2 * (rows + 1)));
            int o = rows * width;
            if (vector) {
                double[] xs = x;
                int row = rows + 1;
                ((Vector) r.get(0)).foreachActive((j, value) -> {
                    if (!Double.isFinite((double) value)) {
                        throw refused(featuresKey, columns.get(0), value + " (element " + ((int) j + 1) + ")", row,
                                partition);
                    }
                    xs[o + (int) j] = (double) value;
                    return null;
                });
            } else {
                for (int j = 0; j < k; j++) {
                    if (r.isNullAt(j)) {
                        throw refused(featuresKey, columns.get(j), "null", rows + 1, partition);
                    }
                    x[o + j] = ((Number) r.get(j)).doubleValue();
                    if (!Double.isFinite(x[o + j])) {
                        throw refused(featuresKey, columns.get(j), String.valueOf(x[o + j]), rows + 1, partition);
                    }
                }
            }
            if (r.isNullAt(k)) {
                throw refused(labelKey, columns.get(k), "null", rows + 1, partition);
            }
            Object label = r.get(k);
            if (label instanceof Number n && !Double.isFinite(n.doubleValue())) {
                throw refused(labelKey, columns.get(k), String.valueOf(n), rows + 1, partition);
            }
            if (classification) {
                String name = label instanceof String s ? s : spell(((Number) label).doubleValue());
                y[rows] = classIds.computeIfAbsent(name, n -> classIds.size());
            } else {
                y[rows] = ((Number) label).doubleValue();
            }
            if (marked) {
                if (r.isNullAt(k + 1)) {
                    throw new UserError("validationIndicatorCol: null in row " + (rows + 1) + " of partition "
                            + partition);
                }
                if (validation.length < rows + 1) validation = Arrays.copyOf(validation, Math.max(16, 2 * (rows + 1)));
                validation[rows] = r.getBoolean(k + 1);
            }
            if (weighted) {
                if (r.isNullAt(wAt)) {
                    throw refused(weightKey, columns.get(wAt), "null", rows + 1, partition);
                }
                double v = ((Number) r.get(wAt)).doubleValue();
                if (!Double.isFinite(v) || v < 0) {
                    throw refused(weightKey, columns.get(wAt), v + " (a weight is a finite number >= 0)", rows + 1,
                            partition);
                }
                if (w.length < rows + 1) w = Arrays.copyOf(w, Math.max(16, 2 * (rows + 1)));
                w[rows] = v;
            }
            rows++;
        }
        width = Math.max(width, 0);
        List<String> names = classification ? new ArrayList<>(classIds.keySet()) : null;
        io.sparkprop.trainer.data.Dataset d = new io.sparkprop.trainer.data.Dataset(rows, width, 1,
                Arrays.copyOf(x, rows * width), Arrays.copyOf(y, rows), names);
        if (weighted) {
            d = d.withWeights(Arrays.copyOf(w, rows));
        }
        return new Chunks.Chunk(partition, d, 0, List.of(), marked ? Arrays.copyOf(validation, rows) : null);
    }

    /** "featuresCol: column 'features' holds NaN (element 2) in row 7 of partition 0". */
    private static UserError refused(String key, String column, String what, int row, int partition) {
        return new UserError(key + ": column '" + column + "' holds " + what + " in row " + row + " of partition "
                + partition);
    }

    /** A numeric label as a class name: 1.0 → "1", 0.5 → "0.5" (classes compare by value either way). */
    static String spell(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
