# layerList and inputShape pass through to the JVM: a small CNN fitted from Python has `sparkprop train`'s weights,
# and the params survive a save/load of the fitted model.
import json
import random

import pytest
from pyspark.ml.linalg import Vectors

from conftest import run_cli
from sparkprop.ml import SparkpropClassificationModel, SparkpropClassifier

LAYERS = ("[{type = conv2d, filters = 2, kernel = 3, padding = same, activation = tanh}, {type = max-pool, size = 2},"
          " {type = flatten}, {type = dense, units = 6}]")


@pytest.fixture(scope="module")
def images(spark, data_dir):
    """60 rows of 4 x 4 images, class (0..2) = the brighter column pair: a CSV (label last) and a DataFrame."""
    rnd = random.Random(3)
    rows = []
    for _ in range(60):
        c = rnd.randrange(3)
        rows.append(([round(rnd.random() + (0.6 if (p % 4) // 2 == c or (c == 2 and p // 8 == 1) else 0.0), 6)
                      for p in range(16)], c))
    path = data_dir / "images.csv"
    with open(path, "w") as f:
        f.write(",".join("f%d" % (p + 1) for p in range(16)) + ",label\n")
        for x, c in rows:
            f.write(",".join(repr(v) for v in x) + ",%d\n" % c)
    frame = spark.createDataFrame([(float(c), Vectors.dense(x)) for x, c in rows], ["label", "features"]).coalesce(1)
    return {"csv": path, "frame": frame}


def test_layer_list_params_fit_to_the_cli_weights_and_survive_save_load(images, tmp_path):
    out = tmp_path / "cli"
    run_cli("train", "--out", str(out), "--set", "data.train=%s" % images["csv"], "--set", "data.validation-fraction=0",
            "--set", "train.engine=spark", "--set", "spark.partitions=2", "--set", "model.input-shape=[1,4,4]",
            "--set", "model.layers=" + LAYERS, "--set", "train.epochs=2", "--set", "train.batch-size=16",
            "--set", "train.seed=7", "--master", "local[2]")
    with open(out / "summary.json") as f:
        cli = json.load(f)

    clf = SparkpropClassifier(layerList=LAYERS, inputShape=[1, 4, 4], partitions=2, epochs=2, batchSize=16, seed=7)
    assert clf.getLayerList() == LAYERS and clf.getInputShape() == [1, 4, 4]
    model = clf.fit(images["frame"])
    assert model.summary.weightsSha256 == cli["weights_sha256"]

    model.write().overwrite().save(str(tmp_path / "m"))
    back = SparkpropClassificationModel.load(str(tmp_path / "m"))
    assert back.getLayerList() == LAYERS and back.getInputShape() == [1, 4, 4]
    p = [r.probability.toArray().tolist() for r in model.transform(images["frame"]).collect()]
    q = [r.probability.toArray().tolist() for r in back.transform(images["frame"]).collect()]
    assert p == q and len(p) == 60


def test_a_layer_list_that_is_not_a_list_fails_when_set(spark):
    with pytest.raises(ValueError):
        SparkpropClassifier(layerList="{type = dense}")
