# sparkprop for Python: the application jar, and (with pyspark installed) the Spark ML estimators in sparkprop.ml.
"""``sparkprop.jar_path()`` is the bundled application jar; ``sparkprop.with_jar(builder)`` adds it to a
``SparkSession.builder``. Importing this package makes ``io.sparkprop.ml`` importable for pyspark's loaders
(see :mod:`sparkprop.ml`), so import it before ``PipelineModel.load`` of a pipeline holding a sparkprop stage.
"""
import sys

from sparkprop._jar import jar_path, with_jar

__version__ = "0.1.0.dev0"
__all__ = ["jar_path", "with_jar", "__version__"]

try:
    import pyspark  # noqa: F401  (the extra [pyspark]; a cluster may bring its own)
except ImportError:  # only the jar is usable then
    pass
else:
    import sparkprop.ml as _ml

    # The Java package's name, for pyspark's JavaParams._from_java and DefaultParamsReader (see sparkprop.ml).
    sys.modules.setdefault("io.sparkprop.ml", _ml)
