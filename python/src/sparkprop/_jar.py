# The application jar inside the package, and putting it on a SparkSession's classpath.
import os
from typing import Any

_JARS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jars")


def jar_path() -> str:
    """The bundled sparkprop application jar (thin: Spark, Scala and Hadoop come from pyspark or the cluster)."""
    found = sorted(f for f in os.listdir(_JARS) if f.endswith(".jar")) if os.path.isdir(_JARS) else []
    if len(found) != 1:
        raise FileNotFoundError("%s: expected the sparkprop application jar, found %s (build the package with"
                                " scripts/build-python.sh)" % (_JARS, found or "none"))
    return os.path.join(_JARS, found[0])


def with_jar(builder: Any) -> Any:
    """``builder`` (a ``SparkSession.builder``) with the jar added to ``spark.jars``, keeping jars already set.

    >>> spark = sparkprop.with_jar(SparkSession.builder.master("local[*]")).getOrCreate()  # doctest: +SKIP

    Only effective before the session's JVM starts; on a cluster, ``spark-submit --jars`` does the same.
    """
    jar = jar_path()
    options = getattr(builder, "_options", {})
    current = options.get("spark.jars", "")
    jars = [j for j in current.split(",") if j]
    if jar not in jars:
        jars.append(jar)
    return builder.config("spark.jars", ",".join(jars))
