# Spark Connect: a client session (pyspark's remote("local[2]"), a local Connect server started with the jar)
# fits, scores, saves and loads sparkprop's estimators; what the server refuses fails with a clear error.
import json
import os

import pyspark
import pytest

from conftest import run_python

# Spark Connect ML (a Connect client fitting JVM Spark ML estimators: the ML messages of the Connect protocol,
# pyspark.ml's remote wrappers) is Spark 4's; pyspark 3.5's Connect client has no ML at all.
pytestmark = pytest.mark.skipif(int(pyspark.__version__.split(".")[0]) < 4,
                                reason="Spark Connect ML does not exist before Spark 4.0 (pyspark %s)"
                                       % pyspark.__version__)

CLIENT = r"""
import json, os, sys
import sparkprop
from pyspark.sql import SparkSession
spark = SparkSession.builder.remote("local[2]").config("spark.jars", sparkprop.jar_path()).getOrCreate()
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.feature import StringIndexer, VectorAssembler
from sparkprop.ml import SparkpropClassificationModel, SparkpropClassifier
out = {"remote": spark.__class__.__module__}
frame = spark.read.parquet(os.environ["DATA"])
prep = Pipeline(stages=[StringIndexer(inputCol="variety", outputCol="label", stringOrderType="alphabetAsc"),
                        VectorAssembler(inputCols=["f%d" % j for j in range(1, 8)], outputCol="features")])
rows = prep.fit(frame).transform(frame).select("label", "features")
lines = []
model = SparkpropClassifier(epochs=3, hiddenLayers=[8], learningRate=0.05, partitions=2, seed=7) \
    .setProgressCallback(lines.append).fit(rows)
out["progress_lines"] = len(lines)
out["model"] = type(model).__name__
out["numClasses"] = model.numClasses
out["accuracy"] = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(model.transform(rows))
scored = [list(r.probability) for r in model.transform(rows).select("probability").collect()]
model.write().save(os.environ["OUT"] + "/model")
loaded = SparkpropClassificationModel.load(os.environ["OUT"] + "/model")
out["loaded_same"] = [list(r.probability) for r in loaded.transform(rows).select("probability").collect()] == scored
pipeline = Pipeline(stages=prep.getStages() + [SparkpropClassifier(epochs=1, partitions=2)]).fit(frame)
pipeline.write().save(os.environ["OUT"] + "/pipeline")
out["pipeline_stages"] = [type(s).__name__ for s in PipelineModel.load(os.environ["OUT"] + "/pipeline").stages]
for name, call in [("bad_param", lambda: SparkpropClassifier(learningRate=-1.0).fit(rows)),
                   ("summary", lambda: model.summary),
                   ("exportOnnx", lambda: model.exportOnnx(os.environ["OUT"] + "/m.onnx")),
                   ("evaluate", lambda: model.evaluate(rows)), ("weights", lambda: model.weights),
                   ("getLayers", lambda: model.getLayers())]:
    try:
        call()
        out[name] = "no error"
    except Exception as e:
        out[name] = type(e).__name__ + ": " + str(e).splitlines()[0]
json.dump(out, open(os.environ["OUT"] + "/result.json", "w"))
spark.stop()
"""


def test_a_spark_connect_client_fits_scores_saves_and_loads(seeds, tmp_path):
    r = run_python(CLIENT, env=dict(os.environ, DATA=seeds["parquet"], OUT=str(tmp_path)))
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads((tmp_path / "result.json").read_text())
    assert out["remote"] == "pyspark.sql.connect.session"
    assert out["model"] == "SparkpropClassificationModel" and out["numClasses"] == 3
    assert out["progress_lines"] == 0  # the epoch lines stay in the server's log
    assert out["accuracy"] > 0.8 and out["loaded_same"]
    assert out["pipeline_stages"] == ["StringIndexerModel", "VectorAssembler", "SparkpropClassificationModel"]
    assert out["bad_param"].startswith("ValueError: ") and "parameter learningRate given invalid value -1.0" \
        in out["bad_param"]
    assert out["summary"].startswith("NotImplementedError: summary is not available over Spark Connect")
    assert out["exportOnnx"].startswith("NotImplementedError: exportOnnx is not available over Spark Connect")
    for name in ("evaluate", "weights", "getLayers"):
        assert out[name].startswith("NotImplementedError: %s is not available over Spark Connect" % name), out[name]
