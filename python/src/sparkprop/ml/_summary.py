# What a fit measured and what evaluate(df) measures, as Python objects over the JVM's summaries.
"""The training summary (the run's summary.json values and epochs, copied into Python) and MLlib's metrics.

The metric accessors have the names of pyspark's own summaries (``MultilayerPerceptronClassificationSummary``,
``RegressionSummary``): properties, except ``fMeasureByLabel(beta)`` and ``weightedFMeasure(beta)``. Each asks
the JVM, which computes them with Spark's MulticlassMetrics or RegressionMetrics on first use.
"""
from typing import Any, Dict, List, NamedTuple, Optional

from pyspark.ml.wrapper import JavaWrapper


class _FromJvm(property):
    """A read-only property: the JVM summary's method of the same name, asked on each read (the JVM computes a
    metric on first use and keeps it)."""

    def __init__(self, doc: Optional[str] = None) -> None:
        super().__init__(self._read)
        self.__doc__ = doc  # set here: property's own doc argument does not reach a subclass's instance on 3.11

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def _read(self, summary: JavaWrapper) -> Any:
        return summary._call_java(self._name)


class EpochRecord(NamedTuple):
    """One epoch, as the JVM's EpochRecord (and a row of the CLI's metrics.csv); NaN without validation."""

    epoch: int
    step: int
    trainLoss: float
    valLoss: float
    valMetric: float
    learningRate: float
    samplesPerSecond: float
    elapsedSeconds: float
    timeSplit: str


class TrainingSummary(JavaWrapper):
    """What a fit measured, copied from the JVM's ``TrainingSummary`` into Python values.

    ``values`` holds every summary.json field of the run (``train_loss``, ``val_accuracy`` or ``val_r2``,
    ``weights_sha256``, ``partitions``, ...), ``epochs`` one :class:`EpochRecord` per epoch. Calling the summary
    returns it, so ``model.summary()`` (pyspark's MultilayerPerceptronClassificationModel spells it as a method)
    and ``model.summary`` both work.
    """

    def __init__(self, java_summary: Any) -> None:
        super().__init__(java_summary)
        self.values: Dict[str, Any] = {str(k): _plain(v) for k, v in java_summary.values().items()}
        self.epochs: List[EpochRecord] = [
            EpochRecord(r.epoch(), r.step(), r.trainLoss(), r.valLoss(), r.valMetric(), r.learningRate(),
                        r.samplesPerSecond(), r.elapsedSeconds(), r.timeSplit())
            for r in java_summary.epochs()
        ]

    def __call__(self) -> "TrainingSummary":
        return self

    @property
    def trainLosses(self) -> List[float]:
        """The training loss of every epoch, in order."""
        return [e.trainLoss for e in self.epochs]

    objectiveHistory = _FromJvm("MLlib's name for the training loss of every epoch (for l-bfgs, the objective"
                                " after each iteration).")
    totalIterations = _FromJvm("Epochs trained (iterations for l-bfgs, which may stop early once converged).")

    @property
    def validationMetric(self) -> float:
        """The last epoch's validation metric (accuracy, or R² for regression); NaN without a validation split."""
        return self.epochs[-1].valMetric if self.epochs else float("nan")

    @property
    def weightsSha256(self) -> str:
        """SHA-256 of the trained weights, as the CLI's summary.json reports it."""
        return self.values["weights_sha256"]

    @property
    def timeSplit(self) -> str:
        """The last epoch's time split of the Spark engine, or ""."""
        return self.epochs[-1].timeSplit if self.epochs else ""

    @property
    def trainSeconds(self) -> float:
        return float(self.values["train_seconds"])

    def __repr__(self) -> str:
        return "%s(%r)" % (type(self).__name__, self.values)


def _plain(v: Any) -> Any:
    """Py4J gives boxed numbers and strings as Python values; anything else is shown as its Java text."""
    return v if v is None or isinstance(v, (bool, int, float, str)) else str(v)


class _Scored(JavaWrapper):
    """The scored rows behind every metric, and their columns (the JVM's ScoredSummary)."""

    predictions = _FromJvm("The rows (a DataFrame) with the model's output columns (prediction; probability and"
                           " rawPrediction too for a classifier).")
    labelCol = _FromJvm()
    predictionCol = _FromJvm()


class _ClassificationMetrics(_Scored):
    """MLlib's classification metrics over (prediction, label); "by label" lists follow ``labels``."""

    labels = _FromJvm("The labels seen in the label or the prediction column, ascending.")
    accuracy = _FromJvm()
    # Lists, one value a label.
    truePositiveRateByLabel = _FromJvm()
    falsePositiveRateByLabel = _FromJvm()
    precisionByLabel = _FromJvm()
    recallByLabel = _FromJvm()
    # Means over the labels, weighted by their frequency.
    weightedTruePositiveRate = _FromJvm()
    weightedFalsePositiveRate = _FromJvm()
    weightedRecall = _FromJvm()
    weightedPrecision = _FromJvm()

    def fMeasureByLabel(self, beta: float = 1.0) -> List[float]:
        return self._call_java("fMeasureByLabel", float(beta))

    def weightedFMeasure(self, beta: float = 1.0) -> float:
        return self._call_java("weightedFMeasure", float(beta))


class ClassificationSummary(_ClassificationMetrics):
    """``SparkpropClassificationModel.evaluate(df)``: MLlib's metrics of the model on ``df`` (class-index labels)."""


class ClassificationTrainingSummary(_ClassificationMetrics, TrainingSummary):
    """A classifier fit's summary: the run's measurements and MLlib's metrics on the rows it was fitted on
    (validation rows included, as MLlib has no validation split)."""


class _RegressionMetrics(_Scored):
    """MLlib's regression metrics over (prediction, label)."""

    rootMeanSquaredError = _FromJvm()
    meanSquaredError = _FromJvm()
    meanAbsoluteError = _FromJvm()
    r2 = _FromJvm()
    explainedVariance = _FromJvm()
    numInstances = _FromJvm("Rows scored.")


class RegressionSummary(_RegressionMetrics):
    """``SparkpropRegressionModel.evaluate(df)``: MLlib's regression metrics of the model on ``df``."""


class RegressionTrainingSummary(_RegressionMetrics, TrainingSummary):
    """A regressor fit's summary: the run's measurements and MLlib's metrics on the rows it was fitted on."""
