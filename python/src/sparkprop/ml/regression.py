# SparkpropRegressor and its model for PySpark: wrappers of io.sparkprop.ml's JVM classes.
from typing import Any, List, Optional

from pyspark import keyword_only
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

    _input_kwargs: Any

    @keyword_only
    def __init__(
        self,
        *,
        featuresCol: str = "features",
        labelCol: str = "label",
        predictionCol: str = "prediction",
        hiddenLayers: Optional[List[int]] = None,
        activation: Optional[str] = None,
        loss: Optional[str] = None,
        optimizer: Optional[str] = None,
        learningRate: Optional[float] = None,
        batchSize: Optional[int] = None,
        epochs: Optional[int] = None,
        seed: Optional[int] = None,
        partitions: Optional[int] = None,
        stepProtocol: Optional[str] = None,
        validationFraction: Optional[float] = None,
        earlyStoppingPatience: Optional[int] = None,
        config: Optional[str] = None,
        validationIndicatorCol: Optional[str] = None,
    ) -> None:
        """Keyword arguments set params; an omitted one keeps the JVM's default (see the params' docs)."""
        super().__init__()
        self._java_obj = self._new_java_obj(JAVA_CLASS, self.uid)
        self.setParams(**self._input_kwargs)

    @keyword_only
    def setParams(
        self,
        *,
        featuresCol: str = "features",
        labelCol: str = "label",
        predictionCol: str = "prediction",
        hiddenLayers: Optional[List[int]] = None,
        activation: Optional[str] = None,
        loss: Optional[str] = None,
        optimizer: Optional[str] = None,
        learningRate: Optional[float] = None,
        batchSize: Optional[int] = None,
        epochs: Optional[int] = None,
        seed: Optional[int] = None,
        partitions: Optional[int] = None,
        stepProtocol: Optional[str] = None,
        validationFraction: Optional[float] = None,
        earlyStoppingPatience: Optional[int] = None,
        config: Optional[str] = None,
        validationIndicatorCol: Optional[str] = None,
    ) -> "SparkpropRegressor":
        """Sets the given params (keywords only); returns self."""
        kwargs = {k: v for k, v in self._input_kwargs.items() if v is not None}
        return self._set(**kwargs)

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
