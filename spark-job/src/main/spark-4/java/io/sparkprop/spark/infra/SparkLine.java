// SparkCompat for Spark 4.x on Scala 2.13 (the default build).
package io.sparkprop.spark.infra;

import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.SparkSession;

/** Spark 4's DefaultParams helpers take the SparkSession. */
final class SparkLine implements SparkCompat {

    @Override
    public String line() {
        return "4.1";
    }

    @Override
    public void saveMetadata(Params instance, String path, SparkSession spark) {
        DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, spark);
    }

    @Override
    public DefaultParamsReader.Metadata loadMetadata(String path, SparkSession spark, String className) {
        return DefaultParamsReader$.MODULE$.loadMetadata(path, spark, className);
    }

    @Override
    public <T> scala.collection.Iterator<T> emptyIterator() {
        return scala.collection.Iterator$.MODULE$.empty();
    }
}
