# sparkprop's Spark ML estimators for PySpark; also the Python module that the JVM package io.sparkprop.ml names.
"""``SparkpropClassifier`` → ``SparkpropClassificationModel``, ``SparkpropRegressor`` → ``SparkpropRegressionModel``.

pyspark finds the Python class of a saved Java stage by its Java name (``io.sparkprop.ml.X``), and ``io`` is
Python's standard module, so ``import sparkprop`` registers this module under the name ``io.sparkprop.ml`` in
``sys.modules``: ``PipelineModel.load`` and ``CrossValidatorModel.load`` then find these classes.
"""
from sparkprop.ml._jvm import EpochRecord, TrainingSummary
from sparkprop.ml.classification import SparkpropClassificationModel, SparkpropClassifier
from sparkprop.ml.regression import SparkpropRegressionModel, SparkpropRegressor

__all__ = [
    "SparkpropClassifier", "SparkpropClassificationModel", "SparkpropRegressor", "SparkpropRegressionModel",
    "TrainingSummary", "EpochRecord",
]
