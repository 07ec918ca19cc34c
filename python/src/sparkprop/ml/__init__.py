# sparkprop's Spark ML estimators for PySpark; also the Python module that the JVM package io.sparkprop.ml names.
"""``SparkpropClassifier`` → ``SparkpropClassificationModel``, ``SparkpropRegressor`` → ``SparkpropRegressionModel``.

pyspark maps Java and Python names by swapping ``org.apache.spark`` and ``pyspark``: the Python class of a saved
Java stage ``io.sparkprop.ml.X`` is looked up in the module ``io.sparkprop.ml``, and the Java class of a Python
one is its ``__module__`` plus its name (to read, and to name it to a Spark Connect server). ``io`` is Python's
standard module, so ``import sparkprop`` registers this module under the name ``io.sparkprop.ml`` in
``sys.modules``, and the four classes below carry that name as their ``__module__``.
"""
from sparkprop.ml._jvm import JAVA_PACKAGE
from sparkprop.ml._summary import (ClassificationSummary, ClassificationTrainingSummary, EpochRecord,
                                   RegressionSummary, RegressionTrainingSummary, TrainingSummary)
from sparkprop.ml.classification import SparkpropClassificationModel, SparkpropClassifier
from sparkprop.ml.regression import SparkpropRegressionModel, SparkpropRegressor

for _cls in (SparkpropClassifier, SparkpropClassificationModel, SparkpropRegressor, SparkpropRegressionModel):
    _cls.__module__ = JAVA_PACKAGE

__all__ = [
    "SparkpropClassifier", "SparkpropClassificationModel", "SparkpropRegressor", "SparkpropRegressionModel",
    "TrainingSummary", "EpochRecord", "ClassificationSummary", "ClassificationTrainingSummary", "RegressionSummary",
    "RegressionTrainingSummary",
]
