# What the Python classes need from the JVM side: readable errors and the progress lines.
"""Glue between the Python wrappers and ``io.sparkprop.ml`` (classic PySpark, through Py4J)."""
import contextlib
import logging
import threading
from typing import Any, Callable, Iterator, Optional

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
