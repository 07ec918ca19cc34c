# The jar of each Spark line in the package: which one a pyspark gets, the overrides, and the one-line error when a
# session's JVM runs the other line's Scala. The suite runs on pyspark 4.1.0 and on 3.5.9 (test-python.sh --spark-line).
import json
import os

import pyspark
import pytest

import sparkprop
from sparkprop import _jar
from conftest import run_python

SCALA = {"3.5": "2.12", "4.1": "2.13"}


class Builder:
    """What with_jar uses of a SparkSession.builder (pyspark's keeps its options in a dict shared by builders)."""

    def __init__(self, **options):
        self._options = dict(options)

    def config(self, key, value):
        self._options[key] = value
        return self


@pytest.fixture
def no_override(monkeypatch):
    monkeypatch.delenv(_jar.JAR_ENV, raising=False)
    monkeypatch.delenv(_jar.LINE_ENV, raising=False)


def test_pyspark_versions_map_to_the_lines_and_an_unknown_one_fails_naming_it():
    lines = {"3.5": "a.jar", "4.1": "b.jar"}
    assert _jar.line_for("3.5.9", lines) == "3.5"
    assert _jar.line_for("3.5.0", lines) == "3.5"
    assert _jar.line_for("4.1.0", lines) == "4.1"
    assert _jar.line_for("4.0.1", lines) == "4.1"  # Spark 4 is one Scala 2.13 family
    assert _jar.line_for("4.1.0.dev1", lines) == "4.1"
    assert _jar.line_for("4.2.0", lines) == "4.1"
    for old in ("3.4.1", "3.3.2", "2.4.8"):
        with pytest.raises(ValueError, match=r"^pyspark %s: sparkprop has jars for Spark 3\.5, 4\.1 only" % old):
            _jar.line_for(old, lines)


def test_the_package_carries_a_jar_per_line_and_this_pyspark_gets_the_one_of_its_sessions_scala(spark, no_override):
    jars = _jar.bundled_jars()
    assert {line: _jar.jar_scala(jar) for line, jar in jars.items()} == SCALA
    line = _jar.line_for(pyspark.__version__, jars)
    assert line == ".".join(pyspark.__version__.split(".")[:2])
    assert sparkprop.jar_path() == jars[line]
    jvm_scala = str(spark._jvm.scala.util.Properties.versionNumberString())
    assert jvm_scala.startswith(SCALA[line] + ".")
    assert jars[line] in spark.sparkContext.getConf().get("spark.jars").split(",")


def test_the_argument_and_the_environment_override_the_choice(monkeypatch, no_override, tmp_path):
    jars = _jar.bundled_jars()
    mine = _jar.line_for(pyspark.__version__, jars)
    other = "4.1" if mine == "3.5" else "3.5"
    assert sparkprop.jar_path(spark_line=other) == jars[other]
    monkeypatch.setenv(_jar.LINE_ENV, other)
    assert sparkprop.jar_path() == jars[other]
    assert sparkprop.jar_path(spark_line=mine) == jars[mine]  # the argument wins
    own = tmp_path / "sparkprop-custom.jar"
    own.write_bytes(b"PK")
    monkeypatch.setenv(_jar.JAR_ENV, str(own))
    assert sparkprop.jar_path() == str(own)
    assert sparkprop.jar_path(spark_line=mine) == jars[mine]
    builder = sparkprop.with_jar(Builder(**{"spark.jars": "/x/other.jar"}))
    assert builder._options["spark.jars"] == "/x/other.jar," + str(own)
    monkeypatch.setenv(_jar.JAR_ENV, str(tmp_path / "missing.jar"))
    with pytest.raises(FileNotFoundError, match="SPARKPROP_JAR=.*missing.jar: no such jar file"):
        sparkprop.jar_path()
    with pytest.raises(ValueError, match=r"^Spark line 3\.4: sparkprop has jars for Spark 3\.5, 4\.1$"):
        sparkprop.jar_path(spark_line="3.4")


def test_a_pyspark_without_a_line_fails_naming_its_version(monkeypatch, no_override):
    monkeypatch.setattr(pyspark, "__version__", "3.4.1")
    with pytest.raises(ValueError, match=r"^pyspark 3\.4\.1: sparkprop has jars for Spark 3\.5, 4\.1 only"):
        sparkprop.jar_path()
    with pytest.raises(ValueError, match=r"^pyspark 3\.4\.1:"):
        sparkprop.with_jar(Builder())


OTHER_LINE = r"""
import json, os
import pyspark
import sparkprop
from sparkprop import _jar
from pyspark.sql import SparkSession
mine = _jar.line_for(pyspark.__version__, _jar.bundled_jars())
other = "4.1" if mine == "3.5" else "3.5"
spark = sparkprop.with_jar(SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false"),
                           spark_line=other).getOrCreate()
from sparkprop.ml import SparkpropClassifier
out = {"other": other, "jvm_scala": str(spark._jvm.scala.util.Properties.versionNumberString())}
try:
    SparkpropClassifier(epochs=1)
    out["error"] = None
except RuntimeError as e:
    out["error"] = str(e)
spark.stop()
print("RESULT " + json.dumps(out))
"""


def test_a_session_holding_the_other_lines_jar_fails_in_one_line_naming_both_scalas():
    env = {k: v for k, v in os.environ.items() if k not in (_jar.JAR_ENV, _jar.LINE_ENV)}
    r = run_python(OTHER_LINE, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads([line for line in r.stdout.splitlines() if line.startswith("RESULT ")][0][len("RESULT "):])
    jar = os.path.basename(_jar.bundled_jars()[out["other"]])
    assert out["error"] is not None and "\n" not in out["error"]
    assert out["error"].startswith("sparkprop: %s is built for Scala %s, but this session's JVM runs Spark "
                                   % (jar, SCALA[out["other"]]))
    assert ("on Scala %s;" % out["jvm_scala"]) in out["error"]
    assert pyspark.__version__ in out["error"]
