# The Python params are the JVM's: same names, docs, type converters and defaults; keyword constructors, getters,
# setters, and a bad value failing with the JVM's one-line message.
import pytest
from pyspark.ml.common import _java2py
from pyspark.ml.param import TypeConverters

from sparkprop.ml._params import param_names
from sparkprop.ml import (SparkpropClassificationModel, SparkpropClassifier, SparkpropRegressionModel,
                          SparkpropRegressor)

# The Python converter each JVM param class must get.
CONVERTERS = {
    "IntArrayParam": TypeConverters.toListInt,
    "DoubleArrayParam": TypeConverters.toListFloat,
    "DoubleParam": TypeConverters.toFloat,
    "IntParam": TypeConverters.toInt,
    "LongParam": TypeConverters.toInt,
    "Param": TypeConverters.toString,
}

PAIRS = [
    (SparkpropClassifier, "io.sparkprop.ml.SparkpropClassifier"),
    (SparkpropClassificationModel, "io.sparkprop.ml.SparkpropClassificationModel"),
    (SparkpropRegressor, "io.sparkprop.ml.SparkpropRegressor"),
    (SparkpropRegressionModel, "io.sparkprop.ml.SparkpropRegressionModel"),
]


def jvm_params(spark, java_class):
    obj = spark._jvm
    for part in java_class.split("."):
        obj = getattr(obj, part)
    j = obj()
    out = {}
    for p in j.params():
        default = _java2py(spark.sparkContext, j.getDefault(p).get()) if j.hasDefault(p) else None
        out[p.name()] = (p.doc(), p.getClass().getSimpleName(), default)
    return out


@pytest.mark.parametrize("py_class,java_class", PAIRS, ids=[p[1].rsplit(".", 1)[1] for p in PAIRS])
def test_every_jvm_param_is_declared_in_python_with_its_doc_converter_and_default(spark, py_class, java_class):
    jvm = jvm_params(spark, java_class)
    py = py_class()
    assert sorted(p.name for p in py.params) == sorted(jvm), "params differ from the JVM's"
    for name, (doc, kind, default) in jvm.items():
        p = py.getParam(name)
        # Spark's shared params (featuresCol, thresholds, ...) come from pyspark's own declarations, whose docs
        # differ from Scala's in punctuation; ours must match the JVM's word for word.
        if name in param_names():
            assert p.doc == doc, name
        assert p.typeConverter is CONVERTERS[kind], "%s: a %s needs %s" % (name, kind, CONVERTERS[kind])
        if default is None:
            assert not py.hasDefault(p), name
        else:
            assert py.getOrDefault(p) == default, name


def test_keyword_constructor_setters_and_getters_reach_the_jvm(spark):
    clf = SparkpropClassifier(hiddenLayers=[64, 32], epochs=20, seed=7)
    assert clf.getHiddenLayers() == [64, 32] and clf.getEpochs() == 20 and clf.getSeed() == 7
    assert clf.getActivation() == "relu" and not clf.isSet(clf.activation)
    assert clf.setLearningRate(0.05) is clf and clf.getLearningRate() == 0.05
    assert clf.setParams(activation="tanh", config="schedule.name = cosine") is clf
    clf._transfer_params_to_java()
    j = clf._java_obj
    assert list(j.getHiddenLayers()) == [64, 32] and j.getEpochs() == 20 and j.getSeed() == 7
    assert j.getLearningRate() == 0.05 and j.getActivation() == "tanh" and j.getConfig() == "schedule.name = cosine"
    assert j.uid() == clf.uid
    reg = SparkpropRegressor(learningRate=0.03)
    assert reg.getLoss() == "mse" and reg.getLearningRate() == 0.03


@pytest.mark.parametrize("kwargs,message", [
    ({"learningRate": -1.0}, "parameter learningRate given invalid value -1.0"),
    ({"activation": "swish"}, "parameter activation given invalid value swish"),
    ({"hiddenLayers": [8, 0]}, "parameter hiddenLayers given invalid value"),
    ({"validationFraction": 1.0}, "parameter validationFraction given invalid value 1.0"),
])
def test_a_bad_value_fails_when_set_with_the_jvms_one_line_message(spark, kwargs, message):
    with pytest.raises(ValueError) as e:
        SparkpropClassifier(**kwargs)
    text = str(e.value)
    assert message in text and "\n" not in text and "py4j" not in text.lower(), text
    clf = SparkpropClassifier(learningRate=0.5)
    name, value = next(iter(kwargs.items()))
    with pytest.raises(ValueError):
        clf._set(**{name: value})
    # The rejected value is not kept: the earlier one (or the default) still holds.
    assert clf.getLearningRate() == 0.5
    assert clf.getOrDefault(name) != value
