# SparkpropRegressor and its model for PySpark: wrappers of io.sparkprop.ml's JVM classes.
from typing import Any, List

from pyspark.ml.regression import _JavaRegressionModel, _JavaRegressor
from pyspark.ml.linalg import Vector
from pyspark.ml.util import JavaMLWritable

from sparkprop.ml._base import _SparkpropEstimator, _SparkpropModel
from sparkprop.ml._params import REGRESSOR_DEFAULTS, _SparkpropParams
from sparkprop.ml._summary import RegressionSummary, RegressionTrainingSummary

JAVA_CLASS = "io.sparkprop.ml.SparkpropRegressor"


class _SparkpropRegressorParams(_SparkpropParams):
    _defaults = REGRESSOR_DEFAULTS


class SparkpropRegressor(
    _SparkpropEstimator,
    _JavaRegressor["SparkpropRegressionModel"],
    _SparkpropRegressorParams,
    JavaMLWritable,
):
    """A neural-network regressor (loss mse) trained by sparkprop's Spark engine on the DataFrame's rows."""

    _java_class = JAVA_CLASS

    def _create_model(self, java_model: Any) -> "SparkpropRegressionModel":
        return SparkpropRegressionModel(java_model)


class SparkpropRegressionModel(
    _SparkpropModel,
    _JavaRegressionModel[Vector],
    _SparkpropRegressorParams,
    JavaMLWritable,
):
    """A fitted SparkpropRegressor: ``prediction`` is the network's output.

    ``summary`` (after a fit), ``evaluate(df)``, ``exportOnnx(path)``, ``write().save(path)`` and ``load(path)``.
    """

    _training_summary = RegressionTrainingSummary
    _evaluation_summary = RegressionSummary

    def evaluate(self, dataset: Any) -> RegressionSummary:
        """MLlib's regression metrics of this model on ``dataset``, computed on first use."""
        return super().evaluate(dataset)

    @property
    def summary(self) -> RegressionTrainingSummary:
        """The fit's measurements and MLlib's metrics on the rows it was fitted on."""
        return super().summary
