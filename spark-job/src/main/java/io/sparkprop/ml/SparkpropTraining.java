// The Java API for Spark applications that do not use Spark ML pipelines: train on rows, get a network back.
package io.sparkprop.ml;

import java.util.List;

import com.typesafe.config.ConfigFactory;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.LabeledPoint;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;

/**
 * {@code config} is HOCON with any key of the CLI's config (model.*, optimizer.*, train.*, spark.*, ...);
 * model.loss decides classification (labels: class values, numbers or strings) or regression (mse). The run is
 * the CLI's Spark training loop over the rows, read on the executors; nothing is collected to the driver.
 */
public final class SparkpropTraining {
    private SparkpropTraining() {
    }

    /** Trains on {@code rows}: {@code featuresCol} a vector column (or numeric columns, comma-separated). */
    public static TrainedNetwork train(Dataset<Row> rows, String featuresCol, String labelCol, String config) {
        TrainConfig cfg = FrameFit.config(config, ConfigFactory.empty(), ConfigLoader.reference(), "config");
        List<String> features = List.of(featuresCol.split("\\s*,\\s*"));
        FrameFit.Fitted f = FrameFit.run(rows, features, labelCol, cfg, "featuresCol", "labelCol", false,
                SparkpropClassifier.progressLog("sparkpropTraining"));
        return new TrainedNetwork(f.model(), f.summary());
    }

    /** Trains on labelled vectors (label: class value or target value). */
    public static TrainedNetwork train(JavaRDD<LabeledPoint> points, String config) {
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features",
                SQLDataTypes.VectorType());
        SparkSession spark = SparkSession.builder().sparkContext(points.context()).getOrCreate();
        Dataset<Row> rows = spark.createDataFrame(points.map(p -> RowFactory.create(p.label(), p.features())),
                schema);
        return train(rows, "features", "label", config);
    }
}
