# What the classifier and the regressor share on the Python side: the keyword constructor and setParams, fitting
# with progress and readable errors, the summary and evaluate, CLI model folders and the ONNX export.
import inspect
from typing import Any, Callable, ClassVar, List, Optional

from pyspark.ml.param import Param
from pyspark.ml.util import JavaMLReadable
from pyspark.sql import DataFrame

from sparkprop._jar import check_jvm_scala
from sparkprop.ml._jvm import JAVA_PACKAGE, following, jvm_errors
from sparkprop.ml._params import PARAM_NAMES
from sparkprop.ml._summary import TrainingSummary


def _keywords(cls: type) -> List[str]:
    """The names of cls's params: pyspark's own (featuresCol, ...) in alphabetical order, then sparkprop's and
    MLlib's in the JVM's order."""
    spark = sorted(n for n in dir(cls) if isinstance(getattr(cls, n, None), Param) and n not in PARAM_NAMES)
    return spark + [n for n in PARAM_NAMES if isinstance(getattr(cls, n, None), Param)]


class _SparkpropEstimator(JavaMLReadable):
    """Mixed into the estimators before pyspark's Java bases.

    The constructor and ``setParams`` take each param of the class as a keyword (where pyspark's own estimators
    spell the list out in both); the class's signature names them, for ``help`` and ``inspect.signature``.
    """

    _java_class: ClassVar[str]  # the JVM estimator, set by each estimator
    _progress: Optional[Callable[[str], None]] = None
    # Until the constructor sets it: pyspark 3.5's JavaWrapper.__del__ reads it unguarded, so a constructor that
    # fails first (a positional argument, the Scala check) would leave an AttributeError at garbage collection.
    _java_obj: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__signature__ = inspect.Signature(
            [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=None) for n in _keywords(cls)])

    def __init__(self, **kwargs: Any) -> None:
        """Keyword arguments set params; an omitted one (or None) keeps the JVM's default (see the params' docs)."""
        super().__init__()
        _check_scala(self._java_class)
        self._java_obj = self._new_java_obj(self._java_class, self.uid)
        self.setParams(**kwargs)

    def setParams(self, **kwargs: Any) -> Any:
        """Sets the given params (the constructor's keywords; None leaves a param as it is); returns self."""
        unknown = [n for n in kwargs if not self.hasParam(n)]
        if unknown:
            raise TypeError("%s got an unexpected keyword argument '%s'" % (type(self).__name__, unknown[0]))
        return self._set(**{n: v for n, v in kwargs.items() if v is not None})

    def setProgressCallback(self, callback: Optional[Callable[[str], None]]) -> Any:
        """Calls ``callback(line)`` with each per-epoch progress line of a fit, while it runs (None: stop).

        The call comes from a thread that polls the JVM a few times a second. The lines are logged at INFO to the
        Python logger "sparkprop" in any case. Not a param: it is not saved.
        """
        self._progress = callback
        return self

    def _fit(self, dataset: DataFrame) -> Any:
        from pyspark import SparkContext
        from pyspark.sql.utils import is_remote

        if is_remote():  # Spark Connect: pyspark's own remote fit (no progress lines, no summary)
            with jvm_errors():
                return super()._fit(dataset)
        with jvm_errors(), following(SparkContext._jvm, self.uid, self._progress):
            java_model = self._fit_java(dataset)
        model = self._create_model(java_model)
        return self._copyValues(model)


def _check_scala(java_class: str) -> None:
    """In a classic session, one clear error when the loaded sparkprop jar's Scala is not the JVM's."""
    from pyspark import SparkContext
    from pyspark.sql.utils import is_remote

    if not is_remote() and SparkContext._jvm is not None:
        check_jvm_scala(SparkContext._jvm, java_class)


def _classic_only(what: str) -> None:
    from pyspark.sql.utils import is_remote

    if is_remote():
        raise NotImplementedError("%s is not available over Spark Connect: the server lets a client call only"
                                  " Spark's own model methods; use a classic session" % what)


class _SparkpropModel(JavaMLReadable):
    """Mixed into the models before pyspark's Java bases."""

    _java_obj: Any = None  # as for the estimators
    # The Python classes of the JVM model's summary() and evaluate(df), set by each model.
    _training_summary: ClassVar[type] = TrainingSummary
    _evaluation_summary: ClassVar[type]

    @property
    def hasSummary(self) -> bool:
        """Whether this model was fitted here (a loaded model has no summary, as with Spark's own models)."""
        _classic_only("hasSummary")
        return bool(self._call_java("hasSummary"))

    @property
    def summary(self) -> Any:
        """The fit's measurements and MLlib's metrics on the training rows (a :class:`TrainingSummary` subclass).

        Also callable: ``model.summary()`` returns the same, as pyspark's MultilayerPerceptronClassificationModel
        spells it.
        """
        _classic_only("summary")
        if not self.hasSummary:
            raise RuntimeError(self.uid + ": no training summary (the model was loaded, not fitted)")
        return self._training_summary(self._java_obj.summary())

    def evaluate(self, dataset: DataFrame) -> Any:
        """MLlib's metrics of this model on ``dataset`` (labelCol and featuresCol as for fit), computed on first use."""
        _classic_only("evaluate")
        if not isinstance(dataset, DataFrame):
            raise TypeError("dataset must be a DataFrame but got %s." % type(dataset))
        self._transfer_params_to_java()  # params set in Python since the fit (e.g. predictionCol)
        with jvm_errors():
            return self._evaluation_summary(self._java_obj.evaluate(dataset._jdf))

    @classmethod
    def fromModelDir(cls, path: str) -> Any:
        """A model trained by the CLI (``sparkprop train``'s OUT/model folder, a local path), without a summary."""
        _classic_only("fromModelDir")
        from pyspark import SparkContext

        _check_scala(JAVA_PACKAGE + "." + cls.__name__)
        java_class = SparkContext._jvm
        for part in (JAVA_PACKAGE + "." + cls.__name__).split("."):
            java_class = getattr(java_class, part)
        with jvm_errors():
            return cls(java_class.fromModelDir(path))

    def exportOnnx(self, path: str, dtype: str = "float32") -> None:
        """Writes the network with its feature scaling as an ONNX file, as ``sparkprop export`` does."""
        _classic_only("exportOnnx")
        with jvm_errors():
            self._java_obj.exportOnnx(path, dtype)
