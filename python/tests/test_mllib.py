# MLlib-style code on SparkpropClassifier: MLlib's param names and defaults, weights in MLlib's order, getLayers,
# evaluate(df) and the training summary with MLlib's metrics (equal to Spark's evaluators), validationIndicatorCol.
import math

import numpy as np
import pytest
from pyspark.ml import Pipeline
from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.feature import StringIndexer, VectorAssembler
from pyspark.sql import functions as F

from conftest import FEATURES
from sparkprop.ml import ClassificationSummary, ClassificationTrainingSummary, SparkpropClassifier


@pytest.fixture(scope="module")
def four(seeds):
    """The seeds rows with their first four features (label: class index), split 60/40 as MLlib's example does."""
    frame = seeds["frame"]
    prep = Pipeline(stages=[StringIndexer(inputCol="variety", outputCol="label", stringOrderType="alphabetAsc"),
                            VectorAssembler(inputCols=FEATURES[:4], outputCol="features")])
    rows = prep.fit(frame).transform(frame).select("label", "features").repartition(2).cache()
    train, test = rows.randomSplit([0.6, 0.4], seed=1234)
    return {"train": train.cache(), "test": test.cache()}


@pytest.fixture(scope="module")
def mlp(four):
    """MLlib's MultilayerPerceptronClassifier call, with only the class name changed."""
    return SparkpropClassifier(layers=[4, 5, 3], maxIter=100, seed=1).fit(four["train"])


def by_hand(weights, layers, x):
    """MLlib's network on one raw row: sigmoid hidden layers, softmax output; per layer W (out × in, column-major)
    then b."""
    a, at = np.asarray(x, dtype=float), 0
    for k, (n_in, n_out) in enumerate(zip(layers, layers[1:])):
        w = weights[at:at + n_in * n_out].reshape(n_in, n_out).T
        b = weights[at + n_in * n_out:at + n_in * n_out + n_out]
        at += n_in * n_out + n_out
        z = w @ a + b
        a = (1 + np.tanh(z / 2)) / 2 if k < len(layers) - 2 else np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert at == len(weights)
    return a


def test_mllib_style_code_fits_with_mllibs_defaults(mlp, four):
    assert mlp.getLayers() == [4, 5, 3]
    s = mlp.summary()  # pyspark's MultilayerPerceptronClassificationModel spells summary as a method
    assert isinstance(s, ClassificationTrainingSummary) and s.values == mlp.summary.values
    # l-bfgs (MLlib's default solver): no learning rate per epoch, at most maxIter iterations, falling objective.
    assert all(math.isnan(e.learningRate) for e in s.epochs)
    assert 1 <= s.totalIterations <= 100 and len(s.objectiveHistory) == s.totalIterations
    assert s.objectiveHistory == s.trainLosses and s.objectiveHistory[-1] < s.objectiveHistory[0]
    # Every row trains (validationFraction 0): no validation metric.
    assert math.isnan(s.validationMetric) and "val_accuracy" not in s.values
    assert s.accuracy > 0.85, s.accuracy
    assert MulticlassClassificationEvaluator(metricName="accuracy").evaluate(mlp.transform(four["test"])) > 0.85


def test_weights_are_mllibs_order_on_raw_features_with_sigmoid_hidden_units(mlp, four):
    w = mlp.weights.toArray()
    assert len(w) == 4 * 5 + 5 + 5 * 3 + 3
    rows = mlp.transform(four["test"]).select("features", "probability").collect()
    assert rows
    for r in rows:
        assert by_hand(w, [4, 5, 3], r.features.toArray()) == pytest.approx(r.probability.toArray(), abs=1e-9)


def test_evaluate_matches_the_multiclass_evaluator(mlp, four):
    test = four["test"]
    e = mlp.evaluate(test)
    assert isinstance(e, ClassificationSummary) and e.labelCol == "label" and e.predictionCol == "prediction"
    assert e.predictions.count() == test.count()
    scored = mlp.transform(test)

    def evaluator(metric, **kw):
        return MulticlassClassificationEvaluator(metricName=metric, **kw).evaluate(scored)

    assert e.accuracy == pytest.approx(evaluator("accuracy"), abs=1e-12)
    for name, ours in [("weightedPrecision", e.weightedPrecision), ("weightedRecall", e.weightedRecall),
                       ("f1", e.weightedFMeasure()), ("weightedTruePositiveRate", e.weightedTruePositiveRate),
                       ("weightedFalsePositiveRate", e.weightedFalsePositiveRate)]:
        assert ours == pytest.approx(evaluator(name), abs=1e-12), name
    assert e.weightedFMeasure(0.5) == pytest.approx(evaluator("weightedFMeasure", beta=0.5), abs=1e-12)
    assert e.labels == [0.0, 1.0, 2.0]
    for k, label in enumerate(e.labels):
        for name, ours in [("precisionByLabel", e.precisionByLabel), ("recallByLabel", e.recallByLabel),
                           ("fMeasureByLabel", e.fMeasureByLabel()),
                           ("truePositiveRateByLabel", e.truePositiveRateByLabel),
                           ("falsePositiveRateByLabel", e.falsePositiveRateByLabel)]:
            assert ours[k] == pytest.approx(evaluator(name, metricLabel=label), abs=1e-12), (name, label)
    # The training summary's metrics are evaluate's on the rows the model was fitted on.
    train = mlp.evaluate(four["train"])
    s = mlp.summary
    assert (s.accuracy, s.weightedPrecision, s.fMeasureByLabel(2.0)) == \
        (train.accuracy, train.weightedPrecision, train.fMeasureByLabel(2.0))
    assert s.predictions.count() == four["train"].count()


def test_initial_weights_start_the_fit_where_they_say(mlp, four):
    w = mlp.weights
    # One full-batch gd step of 1e-9: the weights stay where initialWeights put them.
    again = SparkpropClassifier(layers=[4, 5, 3], initialWeights=w, solver="gd", stepSize=1e-9, maxIter=1,
                                seed=1).fit(four["train"])
    assert again.summary.totalIterations == 1
    assert again.weights.toArray() == pytest.approx(w.toArray(), abs=1e-6)
    ours = [r.probability.toArray() for r in again.transform(four["test"]).select("probability").collect()]
    theirs = [r.probability.toArray() for r in mlp.transform(four["test"]).select("probability").collect()]
    for a, b in zip(ours, theirs):
        assert a == pytest.approx(b, abs=1e-6)


def test_validation_indicator_col_holds_out_the_marked_rows(four):
    marked = four["train"].withColumn("held", F.rand(seed=3) < 0.25)
    lines = []
    model = SparkpropClassifier(hiddenLayers=[8], epochs=3, learningRate=0.05, partitions=2, seed=7,
                                validationIndicatorCol="held").setProgressCallback(lines.append).fit(marked)
    s = model.summary
    assert 0.0 <= s.validationMetric <= 1.0 and "val_accuracy" in s.values
    assert sum(1 for l in lines if "val_acc" in l) == 3, lines


@pytest.mark.parametrize("kwargs,message", [
    ({"hiddenLayers": [8], "layers": [4, 5, 3]},
     "parameters hiddenLayers ([8]) and layers ([4, 5, 3]) say different things about model.hidden"),
    ({"layers": [5, 5, 3]}, "parameter layers: [5, 5, 3] runs from 5 inputs to 3 outputs; the data has 4 features"),
])
def test_mllib_names_that_contradict_the_params_or_the_data_fail_naming_them(four, kwargs, message):
    with pytest.raises(ValueError) as e:
        SparkpropClassifier(maxIter=1, **kwargs).fit(four["train"])
    text = str(e.value)
    assert message in text and "\n" not in text and "py4j" not in text.lower(), text


def test_the_python_getters_report_what_the_fit_uses(spark, four):
    """With only MLlib's names set, the wrapper's getters give the fit's sigmoid, l-bfgs, 0.03 and maxIter epochs,
    before the fit and on the fitted model, as the fitted network's config has them."""
    clf = SparkpropClassifier(layers=[4, 5, 3], maxIter=4, seed=1)
    before = (clf.getActivation(), clf.getOptimizer(), clf.getLearningRate(), clf.getEpochs(), clf.getHiddenLayers(),
              clf.getSolver(), clf.getMaxIter(), clf.getStepSize())
    assert before == ("sigmoid", "lbfgs", 0.03, 4, [5], "l-bfgs", 4, 0.03)
    assert not clf.isSet(clf.activation) and clf.getOrDefault(clf.activation) == "relu"  # the param's default
    model = clf.fit(four["train"])
    # The fitted network's config (HOCON; the jar relocates typesafe config) holds what the fit used.
    config = spark._jvm.io.sparkprop.shaded.typesafe.config.ConfigFactory.parseString(
        model._java_obj.sparkpropModel().config())
    used = (config.getString("model.activation"), config.getString("optimizer.name"),
            config.getDouble("optimizer.learning-rate"), config.getInt("train.epochs"))
    assert before[:4] == used
    assert (model.getActivation(), model.getOptimizer(), model.getLearningRate(), model.getEpochs()) == used
    # One of our names set: our defaults for the rest.
    ours = SparkpropClassifier(layers=[4, 5, 3], epochs=2)
    assert (ours.getActivation(), ours.getOptimizer(), ours.getMaxIter()) == ("relu", "adam", 2)
