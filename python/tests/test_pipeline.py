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
from conftest import FEATURES, run_cli, seeds_pipeline, spark_submit
from pystages import ColumnScaler
from sparkprop.ml import SparkpropClassificationModel, SparkpropClassifier

# The CLI's settings, and the same as params.
CLI_SETS = ["--set", "train.engine=spark", "--set", "spark.partitions=2", "--set", "train.epochs=6", "--set",
            "model.hidden=[8]", "--set", "train.batch-size=16", "--set", "train.seed=7"]


def classifier():
    # The CLI's default validation split (an Estimator's is 0, as in MLlib).
    return SparkpropClassifier(partitions=2, epochs=6, hiddenLayers=[8], batchSize=16, seed=7,
                               validationFraction=0.2)


@pytest.fixture(scope="module")
def fitted(seeds):
    lines = []
    clf = classifier().setProgressCallback(lines.append)
    model = seeds_pipeline(clf).fit(seeds["frame"])
    return {"model": model, "lines": lines}


@pytest.fixture(scope="module")
def cli_run(seeds, tmp_path_factory):
    """`sparkprop train` on the CSV of the same rows with the same settings: its OUT folder."""
    out = tmp_path_factory.mktemp("cli") / "run"
    run_cli("train", "--out", str(out), *CLI_SETS, "--set", "data.train=%s" % seeds["csv"])
    return out


def features_of(pipeline_model, frame):
    """The frame through the fitted StringIndexer and VectorAssembler: label and features columns."""
    return pipeline_model.stages[1].transform(pipeline_model.stages[0].transform(frame))


def scored(model, frame):
    return [(r.prediction, list(r.probability), list(r.rawPrediction))
            for r in model.transform(frame).select("prediction", "probability", "rawPrediction").collect()]


def test_the_pipeline_trains_the_clis_weights_and_reports_its_summary(fitted, cli_run):
    cli = json.loads((cli_run / "summary.json").read_text())

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
    features = features_of(fitted["model"], frame)
    assert scored(loaded, features) == scored(model, features)


def test_the_cli_evaluates_and_predicts_with_a_model_saved_from_python(fitted, seeds, tmp_path):
    model = fitted["model"].stages[2]
    path = str(tmp_path / "model")
    model.write().save(path)
    features = features_of(fitted["model"], seeds["frame"])
    rows = features.select("features", "label").collect()
    # The CLI reads the assembled features in order and the class indices as labels.
    data = tmp_path / "indexed.csv"
    data.write_text("\n".join([",".join(FEATURES + ["label"])] + [
        ",".join([repr(float(v)) for v in r.features] + [str(int(r.label))]) for r in rows]) + "\n")
    evaluated = json.loads(run_cli("evaluate", "--model", path, "--data", str(data)).stdout)
    accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(model.transform(features))
    assert evaluated["rows"] == len(rows) and evaluated["accuracy"] == pytest.approx(accuracy, abs=1e-12)

    predicted = tmp_path / "predicted.csv"
    run_cli("predict", "--model", path, "--data", str(data), "--output", str(predicted))
    lines = predicted.read_text().splitlines()
    cli_probabilities = [[float(v) for v in line.split(",")[1:]] for line in lines[1:]]
    ours = [prob for _, prob, _ in scored(model, features)]
    assert len(cli_probabilities) == len(ours)
    for a, b in zip(cli_probabilities, ours):
        assert a == pytest.approx(b, abs=1e-12)


def test_a_model_trained_by_the_cli_scores_in_python_as_the_same_weights_fitted_here(fitted, seeds, cli_run,
                                                                                       tmp_path):
    cli_model = SparkpropClassificationModel.fromModelDir(str(cli_run / "model"))
    assert not cli_model.hasSummary and cli_model.numClasses == 3
    features = features_of(fitted["model"], seeds["frame"])
    assert scored(cli_model, features) == scored(fitted["model"].stages[2], features)
    # Saved from Python, it loads back as any other.
    path = str(tmp_path / "from-cli")
    cli_model.write().save(path)
    assert scored(SparkpropClassificationModel.load(path), features) == scored(cli_model, features)


def test_export_onnx_from_python(fitted, tmp_path):
    model = fitted["model"].stages[2]
    for dtype in ("float32", "float64"):
        path = tmp_path / ("model-%s.onnx" % dtype)
        model.exportOnnx(str(path), dtype) if dtype != "float32" else model.exportOnnx(str(path))
        body = path.read_bytes()
        # An ONNX ModelProto naming the graph input "features" and the outputs of the README.
        assert len(body) > 100 and b"features" in body and b"probabilities" in body, body[:200]
    with pytest.raises(ValueError, match="float16"):
        model.exportOnnx(str(tmp_path / "bad.onnx"), "float16")


FRESH = r"""
# A driver script for spark-submit --jars <the jar>: loads the saved pipelines and fits a model.
import json, os, shutil, sys
from pyspark.sql import SparkSession
from pyspark.ml import PipelineModel
out = {"mvn": shutil.which("mvn"), "m2": os.path.exists(os.path.expanduser("~/.m2"))}
spark = SparkSession.builder.getOrCreate()
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
    clf = SparkpropClassifier(partitions=2, epochs=2, hiddenLayers=[8], seed=7)
    return Pipeline(stages=[
        ColumnScaler(inputCol="f1", outputCol="f1x", factor=2.0),
        StringIndexer(inputCol="variety", outputCol="label", stringOrderType="alphabetAsc"),
        VectorAssembler(inputCols=["f1x"] + FEATURES[1:], outputCol="features"),
        clf,
    ])


def test_spark_submit_jars_loads_pipelines_in_a_fresh_process_and_fits_without_maven(fitted, seeds, tmp_path):
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
               DATA=seeds["parquet"], PLAIN=plain, MIXED=mixed,
               RESULT=str(tmp_path / "result.json"))
    script = tmp_path / "fresh.py"
    script.write_text(FRESH)
    r = spark_submit("--master", "local[2]", "--jars", sparkprop.jar_path(), "--conf", "spark.ui.enabled=false",
                     "--conf", "spark.ui.showConsoleProgress=false", str(script), env=env)
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
