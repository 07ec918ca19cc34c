# Spark ML's tuning and evaluators over sparkprop's params, the regressor, and errors raised when a fit starts.
import pytest
from pyspark.ml.evaluation import (BinaryClassificationEvaluator, MulticlassClassificationEvaluator,
                                   RegressionEvaluator)
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.tuning import (CrossValidator, CrossValidatorModel, ParamGridBuilder, TrainValidationSplit,
                                TrainValidationSplitModel)

from pyspark.ml import Pipeline
from pyspark.sql import functions as F

from conftest import prep_stages, regression_rows
from sparkprop.ml import RegressionSummary, SparkpropClassificationModel, SparkpropClassifier, \
    SparkpropRegressionModel, SparkpropRegressor


@pytest.fixture(scope="module")
def labelled(seeds):
    """label (class index) and features columns of the seeds rows, cached."""
    frame = seeds["frame"]
    return Pipeline(stages=prep_stages()).fit(frame).transform(frame).select("label", "features").cache()


def test_cross_validator_over_a_grid_of_sparkprop_params(labelled, tmp_path):
    clf = SparkpropClassifier(epochs=3, partitions=2, seed=3, validationFraction=0.0)
    grid = ParamGridBuilder().addGrid(clf.learningRate, [0.001, 0.05]).addGrid(clf.hiddenLayers, [[8]]).build()
    evaluator = MulticlassClassificationEvaluator(metricName="accuracy")
    cv = CrossValidator(estimator=clf, estimatorParamMaps=grid, evaluator=evaluator, numFolds=2, seed=1)
    cv_model = cv.fit(labelled)
    assert len(cv_model.avgMetrics) == 2
    best = cv_model.bestModel
    assert isinstance(best, SparkpropClassificationModel)
    # The grid's values reached the fits: the larger step learns these clusters in 3 epochs, the tiny one not.
    assert cv_model.avgMetrics[1] > cv_model.avgMetrics[0]
    assert best.getLearningRate() == 0.05 and best.summary.values["epochs"] == 3
    path = str(tmp_path / "cv")
    cv_model.write().save(path)
    loaded = CrossValidatorModel.load(path)
    assert isinstance(loaded.bestModel, SparkpropClassificationModel)
    assert loaded.bestModel.transform(labelled).select("prediction").collect() == \
        best.transform(labelled).select("prediction").collect()


def test_train_validation_split_over_a_grid_of_sparkprop_params(labelled, tmp_path):
    clf = SparkpropClassifier(epochs=3, partitions=2, seed=3, hiddenLayers=[8])
    grid = ParamGridBuilder().addGrid(clf.learningRate, [0.001, 0.05]).build()
    tvs = TrainValidationSplit(estimator=clf, estimatorParamMaps=grid, trainRatio=0.75, seed=1,
                               evaluator=MulticlassClassificationEvaluator(metricName="accuracy"))
    tvs_model = tvs.fit(labelled)
    assert len(tvs_model.validationMetrics) == 2
    # The grid's values reached the fits: the larger step learns these clusters in 3 epochs, the tiny one not.
    assert tvs_model.validationMetrics[1] > tvs_model.validationMetrics[0]
    best = tvs_model.bestModel
    assert isinstance(best, SparkpropClassificationModel) and best.getLearningRate() == 0.05
    scored = best.transform(labelled)
    assert scored.count() == labelled.count()
    assert MulticlassClassificationEvaluator(metricName="accuracy").evaluate(scored) > 0.8
    path = str(tmp_path / "tvs")
    tvs_model.write().save(path)
    loaded = TrainValidationSplitModel.load(path)
    assert isinstance(loaded.bestModel, SparkpropClassificationModel)
    assert loaded.validationMetrics == tvs_model.validationMetrics
    assert loaded.bestModel.transform(labelled).select("prediction").collect() == \
        scored.select("prediction").collect()


def test_binary_evaluator_reads_the_raw_prediction(spark, labelled):
    two = labelled.where("label < 2")
    model = SparkpropClassifier(epochs=3, partitions=2, learningRate=0.05).fit(two)
    auc = BinaryClassificationEvaluator(metricName="areaUnderROC").evaluate(model.transform(two))
    assert auc > 0.9


def test_regressor_fits_evaluates_and_round_trips(spark, tmp_path):
    frame = VectorAssembler(inputCols=["x1", "x2", "x3"], outputCol="features").transform(
        spark.createDataFrame(regression_rows(), ["x1", "x2", "x3", "label"]))
    frame = frame.withColumn("held", F.rand(seed=5) < 0.2)
    reg = SparkpropRegressor(hiddenLayers=[16], epochs=8, learningRate=0.03, partitions=2, seed=5,
                             validationIndicatorCol="held")
    model = reg.fit(frame)
    assert isinstance(model, SparkpropRegressionModel) and model.getLoss() == "mse"
    s = model.summary
    assert len(s.trainLosses) == 8 and "val_r2" in s.values and s.totalIterations == 8
    out = model.transform(frame)
    rmse = RegressionEvaluator(metricName="rmse").evaluate(out)
    # evaluate and the training summary: MLlib's regression metrics, RegressionEvaluator's numbers.
    e = model.evaluate(frame)
    assert isinstance(e, RegressionSummary) and e.labelCol == "label" and e.numInstances == frame.count()
    for name, ours in [("rmse", e.rootMeanSquaredError), ("mse", e.meanSquaredError), ("mae", e.meanAbsoluteError),
                       ("r2", e.r2), ("var", e.explainedVariance)]:
        assert ours == pytest.approx(RegressionEvaluator(metricName=name).evaluate(out), abs=1e-12), name
    assert (s.rootMeanSquaredError, s.r2) == (e.rootMeanSquaredError, e.r2)
    spread = RegressionEvaluator(metricName="rmse").evaluate(
        frame.crossJoin(frame.groupBy().avg("label").withColumnRenamed("avg(label)", "prediction")))
    assert rmse < 0.8 * spread, (rmse, spread)
    path = str(tmp_path / "reg")
    model.write().save(path)
    loaded = SparkpropRegressionModel.load(path)
    assert loaded.transform(frame).select("prediction").collect() == out.select("prediction").collect()
    with pytest.raises(ValueError, match="regression model; use SparkpropRegressionModel"):
        SparkpropClassificationModel.fromModelDir(path)


@pytest.mark.parametrize("kwargs,message", [
    ({"config": "optimizer.learning-rate = -1"}, "parameter config: optimizer.learning-rate"),
    ({"config": "train.epochs = ["}, "parameter config"),
    ({"loss": "mse"}, "parameter loss: mse is a regression loss; use SparkpropRegressor"),
])
def test_a_bad_config_fails_when_the_fit_starts_with_one_line_naming_it(labelled, kwargs, message):
    with pytest.raises(ValueError) as e:
        SparkpropClassifier(epochs=1, **kwargs).fit(labelled)
    text = str(e.value)
    assert message in text and "\tat " not in text and "py4j" not in text.lower(), text
