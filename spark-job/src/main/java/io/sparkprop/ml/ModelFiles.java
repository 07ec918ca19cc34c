// Saving and loading a fitted model: Spark ML's metadata plus the CLI's model files in PATH/sparkprop.
package io.sparkprop.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

import io.sparkprop.spark.infra.SparkCompat;
import io.sparkprop.trainer.io.AtomicFiles;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.model.ModelIO;
import scala.Option;

/**
 * PATH/metadata is what DefaultParamsWriter writes for any Params (so a PipelineModel finds our class and
 * params); PATH/sparkprop/{model.json, weights.bin} is exactly a CLI run's OUT/model, so
 * `sparkprop evaluate --model PATH` works, and loading verifies the weights' checksum. PATH may be any Hadoop path:
 * the files are written locally by ModelIO and copied.
 */
public final class ModelFiles {
    static final String DIR = "sparkprop";

    private ModelFiles() {
    }

    /** The folder holding model.json: {@code dir} itself, or dir/sparkprop for a model saved from Spark ML. */
    public static Path modelDir(Path dir) {
        Path inner = dir.resolve(DIR);
        return !Files.exists(dir.resolve("model.json")) && Files.exists(inner.resolve("model.json"))
                && Files.isDirectory(dir.resolve("metadata")) ? inner : dir;
    }

    /**
     * The model in a CLI model folder ({@code sparkprop train}'s OUT/model, {@code TrainedNetwork.save}'s or a
     * saved Spark ML model's), which must be a classifier or a regressor as {@code classification} says.
     */
    static Model fromModelDir(String dir, boolean classification) {
        Model m = ModelIO.load(modelDir(Path.of(dir)));
        if (m.isClassification() != classification) {
            boolean c = m.isClassification();
            throw new IllegalArgumentException(dir + ": a " + (c ? "classification" : "regression") + " model; use "
                    + (c ? "SparkpropClassificationModel" : "SparkpropRegressionModel"));
        }
        return m;
    }

    static MLWriter writer(Params instance, Model model) {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                SparkCompat.CURRENT.saveMetadata(instance, path, sparkSession());
                Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
                Path local = null;
                try {
                    local = Files.createTempDirectory("sparkprop-save");
                    ModelIO.save(model, local.resolve(DIR));
                    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path, DIR);
                    FileSystem fs = target.getFileSystem(conf);
                    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.resolve(DIR).toUri()),
                            target);
                } catch (IOException e) {
                    throw new UncheckedIOException(path + ": cannot write the model files", e);
                } finally {
                    if (local != null) AtomicFiles.deleteRecursively(local);
                }
            }
        };
    }

    static <M extends Params> MLReader<M> reader(Class<M> type, BiFunction<String, Model, M> make) {
        return new MLReader<M>() {
            @Override
            public M load(String path) {
                var metadata = SparkCompat.CURRENT.loadMetadata(path, sparkSession(), type.getName());
                M instance = make.apply(metadata.uid(), read(path, sparkSession().sparkContext().hadoopConfiguration()));
                metadata.getAndSetParams(instance, Option.empty());
                return instance;
            }
        };
    }

    /** PATH/sparkprop copied to a local folder and loaded there (checksum verified), then the copy is deleted. */
    static Model read(String path, Configuration conf) {
        Path local = null;
        try {
            local = Files.createTempDirectory("sparkprop-load");
            org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(path, DIR);
            source.getFileSystem(conf).copyToLocalFile(false, source,
                    new org.apache.hadoop.fs.Path(local.resolve(DIR).toUri()), true);
            return ModelIO.load(local.resolve(DIR));
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read the model files", e);
        } finally {
            if (local != null) AtomicFiles.deleteRecursively(local);
        }
    }
}
