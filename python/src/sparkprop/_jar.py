# The application jars inside the package (one per Spark line), choosing the one that fits pyspark, and putting it on
# a SparkSession's classpath; plus the check that a running JVM's Scala matches the sparkprop jar it loaded.
import os
import re
import zipfile
from typing import Any, Dict, Optional

# jars/<line>/sparkprop-spark-job_<scala binary>-<version>-app.jar, e.g. jars/3.5/…_2.12-…, jars/4.1/…_2.13-…
_JARS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jars")
# Each sparkprop jar holds its Maven coordinates, whose artifact id names the Scala binary version.
_POM_ENTRY = re.compile(r"META-INF/maven/io\.sparkprop/sparkprop-spark-job_(\d+\.\d+)/pom\.properties")
_FILE_NAME = re.compile(r"sparkprop-spark-job_(\d+\.\d+)-")

LINE_ENV = "SPARKPROP_SPARK_LINE"  # a line of the package ("3.5", "4.1") instead of the one pyspark's version picks
JAR_ENV = "SPARKPROP_JAR"          # a jar file instead of the package's (e.g. one built for an unusual Spark)


def bundled_jars() -> Dict[str, str]:
    """The package's jars by Spark line, e.g. {"3.5": ".../jars/3.5/sparkprop-spark-job_2.12-…-app.jar", …}."""
    lines = {}
    for line in sorted(os.listdir(_JARS)) if os.path.isdir(_JARS) else []:
        found = sorted(f for f in os.listdir(os.path.join(_JARS, line)) if f.endswith(".jar"))
        if len(found) == 1:
            lines[line] = os.path.join(_JARS, line, found[0])
    return lines


def _minor(version: str) -> tuple:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:2])


def line_for(pyspark_version: str, lines) -> str:
    """The line whose jar fits pyspark ``pyspark_version``: the same major.minor (3.5.x → 3.5), else for Spark 4
    (one Scala 2.13 family) the newest 4.x line; ValueError naming the version when none fits."""
    want = _minor(pyspark_version)
    if len(want) == 2:
        for line in lines:
            if _minor(line) == want:
                return line
        family = sorted((line for line in lines if want[0] >= 4 and _minor(line)[0] == want[0]), key=_minor)
        if family:
            return family[-1]
    raise ValueError("pyspark %s: sparkprop has jars for Spark %s only (set %s to a line, or %s to a jar file,"
                     " to override)" % (pyspark_version, ", ".join(sorted(lines, key=_minor)) or "no line",
                                        LINE_ENV, JAR_ENV))


def jar_path(spark_line: Optional[str] = None) -> str:
    """The sparkprop application jar for this pyspark (thin: Spark, Scala and Hadoop come from pyspark or the cluster).

    ``spark_line`` ("3.5": Spark 3.5 on Scala 2.12; "4.1": Spark 4.x on Scala 2.13) chooses a bundled jar; without
    it, the environment variable ``SPARKPROP_JAR`` (a jar file) or ``SPARKPROP_SPARK_LINE`` (a line) does, and
    otherwise the installed pyspark's version.
    """
    if spark_line is None and os.environ.get(JAR_ENV):
        jar = os.environ[JAR_ENV]
        if not os.path.isfile(jar):
            raise FileNotFoundError("%s=%s: no such jar file" % (JAR_ENV, jar))
        return os.path.abspath(jar)
    lines = bundled_jars()
    if not lines:
        raise FileNotFoundError("%s: no sparkprop application jar (build the package with scripts/build-python.sh,"
                                " or set %s to a jar file)" % (_JARS, JAR_ENV))
    line = spark_line or os.environ.get(LINE_ENV)
    if line is None:
        import pyspark

        line = line_for(pyspark.__version__, lines)
    if line not in lines:
        raise ValueError("Spark line %s: sparkprop has jars for Spark %s" % (line, ", ".join(sorted(lines, key=_minor))))
    return lines[line]


def with_jar(builder: Any, spark_line: Optional[str] = None) -> Any:
    """``builder`` (a ``SparkSession.builder``) with ``jar_path(spark_line)`` added to ``spark.jars``, keeping jars
    already set.

    >>> spark = sparkprop.with_jar(SparkSession.builder.master("local[*]")).getOrCreate()  # doctest: +SKIP

    Only effective before the session's JVM starts; on a cluster, ``spark-submit --jars`` does the same.
    """
    jar = jar_path(spark_line)
    options = getattr(builder, "_options", {})
    current = options.get("spark.jars", "")
    jars = [j for j in current.split(",") if j]
    if jar not in jars:
        jars.append(jar)
    return builder.config("spark.jars", ",".join(jars))


def jar_scala(jar: str) -> Optional[str]:
    """The Scala binary version a sparkprop jar is built for ("2.12", "2.13"), from its Maven entry or its name."""
    try:
        with zipfile.ZipFile(jar) as z:
            for name in z.namelist():
                m = _POM_ENTRY.fullmatch(name)
                if m:
                    return m.group(1)
    except (OSError, zipfile.BadZipFile):
        pass
    m = _FILE_NAME.search(os.path.basename(jar))
    return m.group(1) if m else None


_checked_jvms: set = set()


def check_jvm_scala(jvm: Any, java_class: str) -> None:
    """Raises one RuntimeError line when the JVM's Scala binary version differs from that of the jar java_class
    comes from (a jar of the other Spark line would otherwise fail later, with a NoSuchMethodError). Once per JVM;
    silent when the class or its jar cannot be found (the caller's own error then says what is missing)."""
    if id(jvm) in _checked_jvms:
        return
    try:
        scala = str(jvm.scala.util.Properties.versionNumberString())  # e.g. 2.13.16
        loader = jvm.java.lang.Thread.currentThread().getContextClassLoader()
        location = str(loader.loadClass(java_class).getProtectionDomain().getCodeSource().getLocation().getPath())
    except Exception:  # noqa: BLE001  (no such class, no code source: nothing to compare)
        return
    built = jar_scala(location)
    if built is None or scala.startswith(built + "."):
        _checked_jvms.add(id(jvm))
        return
    try:
        spark = str(jvm.org.apache.spark.package.SPARK_VERSION())
    except Exception:  # noqa: BLE001  (only for the message)
        spark = "?"
    raise RuntimeError("sparkprop: %s is built for Scala %s, but this session's JVM runs Spark %s on Scala %s;"
                       " start the session with the jar of its line (sparkprop.with_jar(builder, spark_line=...)"
                       " or %s)" % (os.path.basename(location), built, spark, scala, LINE_ENV))
