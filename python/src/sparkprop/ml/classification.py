# SparkpropClassifier and its model for PySpark: wrappers of io.sparkprop.ml's JVM classes.
from typing import Any, List

from pyspark.ml.classification import _JavaProbabilisticClassificationModel, _JavaProbabilisticClassifier
from pyspark.ml.linalg import Vector
from pyspark.ml.util import JavaMLWritable

from sparkprop.ml._base import _classic_only, _SparkpropEstimator, _SparkpropModel
from sparkprop.ml._params import CLASSIFIER_DEFAULTS, _MllibParams
from sparkprop.ml._summary import ClassificationSummary, ClassificationTrainingSummary

JAVA_CLASS = "io.sparkprop.ml.SparkpropClassifier"


class _SparkpropClassifierParams(_MllibParams):
    _defaults = CLASSIFIER_DEFAULTS


class SparkpropClassifier(
    _SparkpropEstimator,
    _JavaProbabilisticClassifier["SparkpropClassificationModel"],
    _SparkpropClassifierParams,
    JavaMLWritable,
):
    """A neural-network classifier trained by sparkprop's Spark engine on the DataFrame's rows.

    Labels are class indices 0 … k−1 (what StringIndexer gives); features one vector column. For the same rows
    in the same order and the same ``partitions``, the weights are those of ``sparkprop train``, bit for bit.
    MLlib's MultilayerPerceptronClassifier params (``layers``, ``maxIter``, ``stepSize``, ``tol``, ``solver``,
    ``blockSize``, ``initialWeights``) work too, with MLlib's meaning and, when only they are set, its defaults.

    >>> clf = SparkpropClassifier(hiddenLayers=[64, 32], epochs=20, seed=7)  # doctest: +SKIP
    >>> mlp = SparkpropClassifier(layers=[4, 5, 3], maxIter=100, seed=1)  # doctest: +SKIP
    """

    _java_class = JAVA_CLASS

    def _create_model(self, java_model: Any) -> "SparkpropClassificationModel":
        return SparkpropClassificationModel(java_model)


class SparkpropClassificationModel(
    _SparkpropModel,
    _JavaProbabilisticClassificationModel[Vector],
    _SparkpropClassifierParams,
    JavaMLWritable,
):
    """A fitted SparkpropClassifier: ``probability`` from the network, ``rawPrediction`` its logarithm.

    ``summary`` (after a fit), ``evaluate(df)``, ``weights``, ``getLayers()``, ``exportOnnx(path)``,
    ``write().save(path)`` and ``load(path)``; a saved model is also a model folder for the CLI
    (``sparkprop evaluate --model path``).
    """

    _training_summary = ClassificationTrainingSummary
    _evaluation_summary = ClassificationSummary

    @property
    def weights(self) -> Vector:
        """The weights in MLlib's order (per layer: W, out × in, column-major, then b) on the raw features: the
        model's feature scaling is folded into the first layer."""
        _classic_only("weights")
        return self._call_java("weights")

    def getLayers(self) -> List[int]:
        """The trained network's sizes, input to output (as MLlib's model reports its layers)."""
        _classic_only("getLayers")
        return self._call_java("getLayers")

    def evaluate(self, dataset: Any) -> ClassificationSummary:
        """MLlib's metrics of this model on ``dataset`` (class-index labels), computed on first use."""
        return super().evaluate(dataset)

    @property
    def summary(self) -> ClassificationTrainingSummary:
        """The fit's measurements and MLlib's metrics on the rows it was fitted on; ``summary()`` works too."""
        return super().summary
