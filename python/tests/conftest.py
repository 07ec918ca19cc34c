# Shared fixtures: one local[2] Spark session with the installed package's jar, and small generated data sets.
import csv
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

import sparkprop  # noqa: F401  (registers io.sparkprop.ml before any load)

REPO = Path(__file__).resolve().parents[2]
FEATURES = ["f%d" % (j + 1) for j in range(7)]
VARIETIES = ["kama", "rosa", "canadian"]  # alphabetAsc indices: canadian 0, kama 1, rosa 2


def session_builder(master: str = "local[2]"):
    from pyspark.sql import SparkSession

    b = (SparkSession.builder.master(master).appName("sparkprop-python-tests")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2")
         .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1"))
    return sparkprop.with_jar(b)


@pytest.fixture(scope="session")
def spark():
    s = session_builder().getOrCreate()
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def seeds_rows(n_per_class: int = 70, seed: int = 7):
    """Three Gaussian clusters in 7 dimensions, classes interleaved: rows of 7 floats and a variety name."""
    rnd = random.Random(seed)
    centres = [[rnd.uniform(-2, 2) for _ in FEATURES] for _ in VARIETIES]
    rows = []
    for i in range(n_per_class):
        for c, name in enumerate(VARIETIES):
            rows.append([round(centres[c][j] + rnd.gauss(0, 0.6), 6) for j in range(7)] + [name])
    return rows


def regression_rows(n: int = 240, seed: int = 11):
    """y = sin(2 x1) + x2 x3 + noise, 3 features in [-1, 1]."""
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        x = [rnd.uniform(-1, 1) for _ in range(3)]
        rows.append(x + [math.sin(2 * x[0]) + x[1] * x[2] + rnd.gauss(0, 0.05)])
    return rows


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def seeds(spark, data_dir):
    """The seeds-like rows as a CSV (header f1..f7,variety: the CLI's input) and one Parquet file, same order."""
    rows = seeds_rows()
    csv_path = data_dir / "seeds.csv"
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(FEATURES + ["variety"])
        w.writerows(rows)
    parquet = str(data_dir / "seeds.parquet")
    spark.createDataFrame(rows, FEATURES + ["variety"]).coalesce(1).write.parquet(parquet)
    return {"csv": csv_path, "parquet": parquet, "frame": spark.read.parquet(parquet), "rows": rows}


def prep_stages():
    """variety → label (alphabetical class indices), f1..f7 → features."""
    from pyspark.ml.feature import StringIndexer, VectorAssembler

    return [StringIndexer(inputCol="variety", outputCol="label", stringOrderType="alphabetAsc"),
            VectorAssembler(inputCols=FEATURES, outputCol="features")]


def seeds_pipeline(last):
    from pyspark.ml import Pipeline

    return Pipeline(stages=prep_stages() + [last])


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """scripts/sparkprop with these arguments (the repository's CLI, built by scripts/build-python.sh)."""
    env = dict(os.environ, SPARKPROP_JAVA_OPTS="-Xmx1g")
    r = subprocess.run([str(REPO / "scripts" / "sparkprop"), *args], capture_output=True, text=True, env=env,
                       cwd=cwd, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return r


def spark_submit(*args: str, env=None, timeout: int = 600) -> subprocess.CompletedProcess:
    """pyspark's own spark-submit in a fresh process (driver Python: this interpreter; this folder importable)."""
    import pyspark

    full = dict(env if env is not None else os.environ)
    full["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parent)] + ([full["PYTHONPATH"]]
                                                                          if full.get("PYTHONPATH") else []))
    full["PYSPARK_PYTHON"] = full["PYSPARK_DRIVER_PYTHON"] = sys.executable
    submit = os.path.join(os.path.dirname(pyspark.__file__), "bin", "spark-submit")
    return subprocess.run([submit, *args], capture_output=True, text=True, env=full, timeout=timeout)


def run_python(code: str, env=None, timeout: int = 600) -> subprocess.CompletedProcess:
    """A fresh Python process running code (with this tests folder importable)."""
    full = dict(env if env is not None else os.environ)
    full["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parent)] + ([full["PYTHONPATH"]]
                                                                          if full.get("PYTHONPATH") else []))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=timeout)
