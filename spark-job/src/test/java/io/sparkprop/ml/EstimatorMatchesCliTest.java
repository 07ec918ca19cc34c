// The Spark ML Estimator and `sparkprop train` on the same rows, config and partitions: the same weights bit for
// bit, and the same summary fields, in float32 and float64 under both step protocols (local[2]).
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.cli.CliRunner;

/**
 * Both build their engine through the one factory from the same config, so nothing but the input path differs:
 * the CLI reads a CSV on the executors, the Estimator a DataFrame of the same rows in the same order. Under
 * float32 the summed gradient crosses the wire as floats; a fit that left that out would step on other values.
 */
class EstimatorMatchesCliTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path seedsCsv;
    static Dataset<Row> seeds;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkMlData.localSpark("EstimatorMatchesCliTest");
        seedsCsv = tmp.resolve("seeds.csv");
        SparkMlData.writeCsv(seedsCsv, SparkMlData.seeds(), "variety", SparkMlData.VARIETIES);
        Path parquet = tmp.resolve("seeds.parquet");
        SparkMlData.writeParquet(spark, parquet, SparkMlData.seeds(), "variety", SparkMlData.VARIETIES);
        seeds = spark.read().parquet(parquet.toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @ParameterizedTest(name = "{0}, spark.protocol = {1}")
    @CsvSource({"float32, driver", "float32, barrier", "float64, driver", "float64, barrier"})
    void estimatorGivesTheCliWeights(String precision, String protocol) {
        Path out = tmp.resolve("cli-" + precision + "-" + protocol);
        CliRunner.Result r = CliRunner.run("train", "--out", out.toString(), "--set", "data.train=" + seedsCsv,
                "--set", "train.engine=spark", "--set", "spark.partitions=2", "--set", "spark.protocol=" + protocol,
                "--set", "compute.precision=" + precision, "--set", "train.epochs=3", "--set", "model.hidden=[8]",
                "--set", "train.batch-size=16", "--set", "train.seed=7");
        assertEquals(0, r.exit(), r.err());
        Config cli = ConfigFactory.parseFile(out.resolve("summary.json").toFile());

        SparkpropClassifier estimator = new SparkpropClassifier().setPartitions(2).setStepProtocol(protocol)
                .setConfig("compute.precision = " + precision).setEpochs(3).setHiddenLayers(8).setBatchSize(16)
                .setValidationFraction(0.2).setSeed(7); // the CLI's default split (the estimator's default is 0)
        PipelineModel fitted = SparkMlTest.seedsPipeline(estimator).fit(seeds);
        TrainingSummary fit = ((SparkpropClassificationModel) fitted.stages()[2]).summary();

        assertEquals(precision, cli.getString("precision"));
        assertEquals(protocol, cli.getString("spark_protocol"));
        assertEquals(precision, fit.values().get("precision"));
        assertEquals(protocol, fit.values().get("spark_protocol"));
        assertEquals(cli.getString("weights_sha256"), fit.weightsSha256(), "weights of fit vs train");
        // The fit reports what the CLI's summary.json does, the engine's own fields included.
        Set<String> cliKeys = new TreeSet<>(cli.root().keySet());
        assertEquals(cliKeys, new TreeSet<>(fit.values().keySet()));
    }
}
