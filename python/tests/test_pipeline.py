# Fitting from Python: a Pipeline gives the CLI's weights, its summary as Python values, progress lines while it
# runs; models and pipelines (also one with a pure-Python stage) survive save and load, in a fresh process too.
import json
import math
import os
import re
import shutil

import pytest
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.feature import StringIndexer, VectorAssembler

import sparkprop
from conftest import FEATURES, run_cli, run_python, seeds_pipeline
from pystages import ColumnScaler
from sparkprop.ml import SparkpropClassificationModel, SparkpropClassifier

# The CLI's settings, and the same as params.
CLI_SETS = ["--set", "train.engine=spark", "--set", "spark.partitions=2", "--set", "train.epochs=6", "--set",
            "model.hidden=[8]", "--set", "train.batch-size=16", "--set", "train.seed=7"]


def classifier():
    return SparkpropClassifier(partitions=2, epochs=6, hiddenLayers=[8], batchSize=16, seed=7)


@pytest.fixture(scope="module")
def fitted(seeds):
    lines = []
    clf = classifier().setProgressCallback(lines.append)
    model = seeds_pipeline(clf).fit(seeds["frame"])
    return {"model": model, "lines": lines}


def scored(model, frame):
    return [(r.prediction, list(r.probability), list(r.rawPrediction))
            for r in model.transform(frame).select("prediction", "probability", "rawPrediction").collect()]


def test_the_pipeline_trains_the_clis_weights_and_reports_its_summary(fitted, seeds, tmp_path):
    cli_out = tmp_path / "cli"
    run_cli("train", "--out", str(cli_out), *CLI_SETS, "--set", "data.train=%s" % seeds["csv"])
    cli = json.loads((cli_out / "summary.json").read_text())

    model = fitted["model"].stages[2]
    assert isinstance(model, SparkpropClassificationModel) and model.hasSummary
    s = model.summary
    # Same rows in the same order, same partition count: the CLI's weights bit for bit.
    assert s.weightsSha256 == cli["weights_sha256"]
    assert re.fullmatch(r"[0-9a-f]{64}", s.weightsSha256)
    assert s.validationMetric == pytest.approx(cli["val_accuracy"], abs=1e-12)
    assert len(s.trainLosses) == 6 and all(isinstance(x, float) and math.isfinite(x) for x in s.trainLosses)
    assert [e.epoch for e in s.epochs] == list(range(1, 7))
    assert s.timeSplit and s.trainSeconds > 0
    assert s.values["partitions"] == 2 and isinstance(s.values["train_loss"], float)


def test_each_epochs_progress_line_reaches_python_during_the_fit(fitted):
    lines = fitted["lines"]
    epoch_lines = [l for l in lines if l.lstrip().startswith("epoch")]
    assert [int(l.split()[1]) for l in epoch_lines] == list(range(1, 7)), lines
    assert all("loss" in l and "val_acc" in l for l in epoch_lines)


def test_standard_evaluator_and_model_save_load(fitted, seeds, tmp_path):
    frame = seeds["frame"]
    out = fitted["model"].transform(frame)
    accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(out)
    assert accuracy > 0.8
    model = fitted["model"].stages[2]
    path = str(tmp_path / "model")
    model.write().save(path)
    loaded = SparkpropClassificationModel.load(path)
    assert isinstance(loaded, SparkpropClassificationModel) and loaded.uid == model.uid
    assert not loaded.hasSummary
    assert loaded.getHiddenLayers() == [8] and loaded.getEpochs() == 6 and loaded.numClasses == 3
    features = fitted["model"].stages[1].transform(fitted["model"].stages[0].transform(frame))
    assert scored(loaded, features) == scored(model, features)


FRESH = r"""
import json, os, shutil, sys
from pyspark.sql import SparkSession
from pyspark.ml import PipelineModel
out = {"mvn": shutil.which("mvn"), "m2": os.path.exists(os.path.expanduser("~/.m2"))}
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.jars", os.environ["SPARKPROP_JAR"]).getOrCreate())
frame = spark.read.parquet(os.environ["DATA"])
try:
    PipelineModel.load(os.environ["PLAIN"])
    out["without_import"] = "loaded"
except Exception as e:
    out["without_import"] = type(e).__name__ + ": " + str(e).splitlines()[0]
import sparkprop
out["package"] = sparkprop.__file__
from sparkprop.ml import SparkpropClassifier
for name in ("PLAIN", "MIXED"):
    m = PipelineModel.load(os.environ[name])
    out[name] = [type(s).__name__ for s in m.stages]
    out[name + "_rows"] = [[r.prediction] + list(r.probability)
                           for r in m.transform(frame).select("prediction", "probability").collect()]
from pyspark.ml.feature import StringIndexer, VectorAssembler
from pyspark.ml import Pipeline
fit = Pipeline(stages=[StringIndexer(inputCol="variety", outputCol="label"),
                       VectorAssembler(inputCols=["f%d" % j for j in range(1, 8)], outputCol="features"),
                       SparkpropClassifier(epochs=2, hiddenLayers=[4], partitions=2)]).fit(frame)
out["fresh_fit_epochs"] = len(fit.stages[2].summary.trainLosses)
spark.stop()
json.dump(out, open(os.environ["RESULT"], "w"))
"""


def mixed_pipeline():
    clf = classifier()
    return Pipeline(stages=[
        ColumnScaler(inputCol="f1", outputCol="f1x", factor=2.0),
        StringIndexer(inputCol="variety", outputCol="label", stringOrderType="alphabetAsc"),
        VectorAssembler(inputCols=["f1x"] + FEATURES[1:], outputCol="features"),
        clf,
    ])


def test_pipelines_load_in_a_fresh_process_without_maven(fitted, seeds, tmp_path):
    plain = str(tmp_path / "plain")
    fitted["model"].write().save(plain)
    mixed_model = mixed_pipeline().fit(seeds["frame"])
    mixed = str(tmp_path / "mixed")
    mixed_model.write().save(mixed)
    # In this process too: the mixed pipeline's Python stage and ours come back.
    again = PipelineModel.load(mixed)
    assert [type(s).__name__ for s in again.stages] == ["ColumnScaler", "StringIndexerModel", "VectorAssembler",
                                                         "SparkpropClassificationModel"]

    # No Maven: `mvn` on the PATH is one that leaves a mark and fails, and the JVM's home (so ~/.m2) is empty.
    home, bin_dir = tmp_path / "home", tmp_path / "bin"
    home.mkdir()
    bin_dir.mkdir()
    mark = tmp_path / "mvn-was-run"
    (bin_dir / "mvn").write_text("#!/bin/sh\ntouch %s\nexit 1\n" % mark)
    (bin_dir / "mvn").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAVEN", "M2"))}
    env.update(HOME=str(home), PATH=str(bin_dir) + os.pathsep + os.environ["PATH"],
               JAVA_TOOL_OPTIONS="-Duser.home=%s" % home,
               SPARKPROP_JAR=sparkprop.jar_path(), DATA=seeds["parquet"], PLAIN=plain, MIXED=mixed,
               RESULT=str(tmp_path / "result.json"))
    r = run_python(FRESH, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads((tmp_path / "result.json").read_text())
    assert out["mvn"] == str(bin_dir / "mvn") and not mark.exists() and not out["m2"]
    assert "sparkprop" in out["package"] and "site-packages" in out["package"]
    # pyspark maps io.sparkprop.ml to a Python module; `io` is the standard library's until sparkprop is imported.
    assert "io" in out["without_import"] and out["without_import"] != "loaded"
    assert out["PLAIN"] == ["StringIndexerModel", "VectorAssembler", "SparkpropClassificationModel"]
    assert out["MIXED"] == ["ColumnScaler", "StringIndexerModel", "VectorAssembler", "SparkpropClassificationModel"]
    frame = seeds["frame"]
    expect_plain = [[p] + prob for p, prob, _ in scored(fitted["model"], frame)]
    expect_mixed = [[p] + prob for p, prob, _ in scored(mixed_model, frame)]
    assert out["PLAIN_rows"] == expect_plain
    assert out["MIXED_rows"] == expect_mixed
    assert out["fresh_fit_epochs"] == 2
