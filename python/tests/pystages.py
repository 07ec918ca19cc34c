# A pure-Python Spark ML stage (no JVM class behind it), for pipelines that mix one with sparkprop's stages.
from pyspark import keyword_only
from pyspark.ml import Transformer
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import HasInputCol, HasOutputCol
from pyspark.ml.util import DefaultParamsReadable, DefaultParamsWritable
from pyspark.sql import functions as F


class ColumnScaler(Transformer, HasInputCol, HasOutputCol, DefaultParamsReadable, DefaultParamsWritable):
    """outputCol = inputCol × factor."""

    factor = Param(Params._dummy(), "factor", "the multiplier", typeConverter=TypeConverters.toFloat)

    @keyword_only
    def __init__(self, *, inputCol=None, outputCol=None, factor=1.0):
        super().__init__()
        self._setDefault(factor=1.0)
        self._set(**self._input_kwargs)

    def _transform(self, dataset):
        return dataset.withColumn(self.getOutputCol(),
                                  F.col(self.getInputCol()) * F.lit(self.getOrDefault(self.factor)))
