// SparkCompat for Spark 3.5 on Scala 2.12 (mvn -Pspark-3.5).
package io.sparkprop.spark.infra;

import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.SparkSession;

import scala.Option;

/** Spark 3.5's DefaultParams helpers take the SparkContext, and Scala default arguments are explicit from Java. */
final class SparkLine implements SparkCompat {

    @Override
    public String line() {
        return "3.5";
    }

    @Override
    public void saveMetadata(Params instance, String path, SparkSession spark) {
        DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, spark.sparkContext(), Option.empty(),
                Option.empty());
    }

    @Override
    public DefaultParamsReader.Metadata loadMetadata(String path, SparkSession spark, String className) {
        return DefaultParamsReader$.MODULE$.loadMetadata(path, spark.sparkContext(), className);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> scala.collection.Iterator<T> emptyIterator() {
        // Iterator.empty is Iterator[Nothing]: an iterator of no elements is one of any element type.
        return (scala.collection.Iterator<T>) (scala.collection.Iterator<?>) scala.collection.Iterator$.MODULE$.empty();
    }
}
