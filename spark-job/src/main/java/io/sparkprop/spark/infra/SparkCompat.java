// The one seam between the Spark lines sparkprop builds for (4.1 on Scala 2.13, 3.5 on Scala 2.12): every call
// whose Java signature differs between them goes through here, and nowhere else in the code asks which line it is.
package io.sparkprop.spark.infra;

import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.sql.SparkSession;

/**
 * One implementation per line, {@link SparkLine}, compiled from {@code src/main/spark-<line>/java} (the Maven
 * property spark.line; the build adds exactly one of those folders), so the jar of each line holds only its own.
 */
public interface SparkCompat {

    /** The line this jar was built for. */
    SparkCompat CURRENT = new SparkLine();

    /** "4.1" or "3.5": what the jar was compiled against (the cluster's own version is SparkContext.version()). */
    String line();

    /** Spark ML's PATH/metadata for {@code instance} (4.x takes the session, 3.5 its SparkContext). */
    void saveMetadata(Params instance, String path, SparkSession spark);

    /** The metadata {@link #saveMetadata} wrote, checked to name {@code className}. */
    DefaultParamsReader.Metadata loadMetadata(String path, SparkSession spark, String className);

    /** An empty Scala iterator of any element type (2.12's {@code Iterator.empty} is typed Nothing in Java). */
    <T> scala.collection.Iterator<T> emptyIterator();
}
