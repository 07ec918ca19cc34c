# What the Python classes need from the JVM side: readable errors, the summary and the progress lines.
"""Glue between the Python wrappers and ``io.sparkprop.ml`` (classic PySpark, through Py4J)."""
import contextlib
import logging
import threading
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional

from py4j.protocol import Py4JJavaError
from pyspark.errors.exceptions.base import IllegalArgumentException

JAVA_PACKAGE = "io.sparkprop.ml"
LOG = logging.getLogger("sparkprop")
USER_ERROR = "io.sparkprop.trainer.UserError"


@contextlib.contextmanager
def jvm_errors() -> Iterator[None]:
    """A user's mistake reported by the JVM as a ValueError carrying the JVM's message, without the Java trace.

    That is an IllegalArgumentException (a bad param value or config key: the message names the param or key)
    or sparkprop's UserError (e.g. an unknown ONNX dtype); anything else propagates as it is.
    """
    try:
        yield
    except IllegalArgumentException as e:  # classic pyspark's and Spark Connect's
        raise ValueError(getattr(e, "_desc", None) or str(e).splitlines()[0]) from None
    except Py4JJavaError as e:
        t = e.java_exception
        while t is not None:
            if t.getClass().getName() == USER_ERROR:
                message = t.getMessage()
                break
            t = t.getCause()
        else:
            raise
        raise ValueError(message) from None


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


class TrainingSummary:
    """What a fit measured, copied from the JVM's ``TrainingSummary`` into Python values.

    ``values`` holds every summary.json field of the run (``train_loss``, ``val_accuracy`` or ``val_r2``,
    ``weights_sha256``, ``partitions``, ...), ``epochs`` one :class:`EpochRecord` per epoch.
    """

    def __init__(self, java_summary: Any) -> None:
        self.values: Dict[str, Any] = {str(k): _plain(v) for k, v in java_summary.values().items()}
        self.epochs: List[EpochRecord] = [
            EpochRecord(r.epoch(), r.step(), r.trainLoss(), r.valLoss(), r.valMetric(), r.learningRate(),
                        r.samplesPerSecond(), r.elapsedSeconds(), r.timeSplit())
            for r in java_summary.epochs()
        ]

    @property
    def trainLosses(self) -> List[float]:
        """The training loss of every epoch, in order."""
        return [e.trainLoss for e in self.epochs]

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
        return "TrainingSummary(%r)" % (self.values,)


def _plain(v: Any) -> Any:
    """Py4J gives boxed numbers and strings as Python values; anything else is shown as its Java text."""
    return v if v is None or isinstance(v, (bool, int, float, str)) else str(v)


class _Follower(threading.Thread):
    """Takes the JVM's progress lines of one estimator uid while its fit runs, and hands each one on."""

    def __init__(self, jvm: Any, uid: str, emit: Callable[[str], None], every: float = 0.2) -> None:
        super().__init__(name="sparkprop-progress-" + uid, daemon=True)
        self._lines = getattr(getattr(getattr(jvm, "io"), "sparkprop"), "ml").LogLines
        self._uid, self._emit, self._every = uid, emit, every
        self._done = threading.Event()
        self._lines.follow(uid)

    def run(self) -> None:
        while not self._done.wait(self._every):
            self._drain()

    def _drain(self) -> None:
        for line in self._lines.take(self._uid):
            self._emit(line)

    def finish(self) -> None:
        self._done.set()
        self.join()
        try:
            self._drain()
        finally:
            self._lines.unfollow(self._uid)


@contextlib.contextmanager
def following(jvm: Any, uid: str, callback: Optional[Callable[[str], None]]) -> Iterator[None]:
    """Each progress line of the fit inside: logged at INFO to the logger "sparkprop", then given to callback."""

    def emit(line: str) -> None:
        LOG.info(line)
        if callback is not None:
            callback(line)

    follower = _Follower(jvm, uid, emit)
    follower.start()
    try:
        yield
    finally:
        follower.finish()
