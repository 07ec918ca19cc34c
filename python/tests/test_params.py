# The Python params are the JVM's: same names, docs, type converters and defaults; keyword constructors, getters,
# setters, and a bad value failing with the JVM's one-line message.
import sys

import pytest
from pyspark.ml.common import _java2py
from pyspark.ml.linalg import Vectors
from pyspark.ml.param import TypeConverters

from sparkprop.ml._params import FIT_DECIDED, param_names
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
# Java erases Param<Vector> to Param: the one param whose values are vectors, by name.
VECTOR_PARAMS = {"initialWeights"}

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
        want = TypeConverters.toVector if name in VECTOR_PARAMS else CONVERTERS[kind]
        assert p.typeConverter is want, "%s: a %s needs %s" % (name, kind, want)
        if default is None:
            assert not py.hasDefault(p), name
        else:
            assert py.getOrDefault(p) == default, name


def jvm_values(spark, java_obj, *names):
    """The JVM object's values of these params, as Python values (read through Params.getOrDefault)."""
    return [_java2py(spark.sparkContext, java_obj.getOrDefault(java_obj.getParam(n))) for n in names]


def test_keyword_constructor_setters_and_getters_reach_the_jvm(spark):
    clf = SparkpropClassifier(hiddenLayers=[64, 32], epochs=20, seed=7)
    assert clf.getHiddenLayers() == [64, 32] and clf.getEpochs() == 20 and clf.getSeed() == 7
    assert clf.getActivation() == "relu" and not clf.isSet(clf.activation)
    assert clf.setLearningRate(0.05) is clf and clf.getLearningRate() == 0.05
    assert clf.setParams(activation="tanh", config="schedule.name = cosine") is clf
    clf._transfer_params_to_java()
    j = clf._java_obj
    assert jvm_values(spark, j, "hiddenLayers", "epochs", "seed", "learningRate", "activation", "config") == \
        [[64, 32], 20, 7, 0.05, "tanh", "schedule.name = cosine"]
    assert j.uid() == clf.uid
    reg = SparkpropRegressor(learningRate=0.03, validationIndicatorCol="held")
    assert reg.getLoss() == "mse" and reg.getLearningRate() == 0.03
    reg._transfer_params_to_java()
    assert jvm_values(spark, reg._java_obj, "validationIndicatorCol", "learningRate") == ["held", 0.03]


def test_the_keywords_are_the_class_params_and_no_others(spark):
    import inspect

    for cls in (SparkpropClassifier, SparkpropRegressor):
        keywords = list(inspect.signature(cls).parameters)
        assert sorted(keywords) == sorted(p.name for p in cls().params), cls.__name__
    # MLlib's names belong to the classifier only; a misspelt keyword fails as for any Python call.
    with pytest.raises(TypeError, match="unexpected keyword argument 'layers'"):
        SparkpropRegressor(layers=[3, 1])
    with pytest.raises(TypeError, match="unexpected keyword argument 'epoch'"):
        SparkpropClassifier().setParams(epoch=3)
    with pytest.raises(TypeError):
        SparkpropClassifier([4, 5, 3])
    # None leaves a param as it is: its value if set, else the default.
    reg = SparkpropRegressor(epochs=3)
    assert reg.setParams(epochs=None, seed=None) is reg and reg.getEpochs() == 3 and not reg.isSet(reg.seed)


def test_a_constructor_call_that_fails_leaves_nothing_raised_when_collected(spark, monkeypatch):
    # With a session active, pyspark 3.5's JavaWrapper.__del__ reads _java_obj without a guard.
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    for cls in (SparkpropClassifier, SparkpropRegressor, SparkpropClassificationModel):
        with pytest.raises(TypeError):
            cls([4, 5, 3], 7)
    assert [str(u.exc_value) for u in unraisable] == []


def test_mllibs_names_reach_the_jvm(spark):
    w = Vectors.dense([0.5, -0.25, 1.5])
    clf = SparkpropClassifier(layers=[4, 5, 3], maxIter=7, stepSize=0.1, tol=1e-4, solver="gd", blockSize=64,
                              initialWeights=w, validationIndicatorCol="held")
    assert clf.getLayers() == [4, 5, 3] and clf.getMaxIter() == 7 and clf.getSolver() == "gd"
    assert clf.getInitialWeights() == w
    clf._transfer_params_to_java()
    names = ["layers", "maxIter", "stepSize", "tol", "solver", "blockSize", "initialWeights", "validationIndicatorCol"]
    assert jvm_values(spark, clf._java_obj, *names) == [[4, 5, 3], 7, 0.1, 1e-4, "gd", 64, w, "held"]
    # MLlib's defaults where it has them; optimizer takes lbfgs too; every row trains by default.
    fresh = SparkpropClassifier(optimizer="lbfgs")
    defaults = [fresh.getOrDefault(p) for p in (fresh.maxIter, fresh.stepSize, fresh.tol, fresh.solver)]
    assert defaults == [100, 0.03, 1e-6, "l-bfgs"] and fresh.getBlockSize() == 128
    assert fresh.getOptimizer() == "lbfgs" and fresh.getValidationFraction() == 0.0
    # One of our names is set, so the fit takes our defaults for the rest, and MLlib's getters say so.
    assert (fresh.getMaxIter(), fresh.getStepSize(), fresh.getTol(), fresh.getSolver()) == \
        (fresh.getEpochs(), fresh.getLearningRate(), 1e-6, "l-bfgs")
    assert fresh.getEpochs() == 50


def test_the_jvm_getters_answer_through_java_obj(spark):
    """Py4J finds the getters of SparkpropParams and MllibParams on the JVM classifier and model (it looks for
    default methods only in the interfaces a class names itself)."""
    sparkprop_getters = ["getHiddenLayers", "getActivation", "getLoss", "getOptimizer", "getLearningRate",
                         "getBatchSize", "getEpochs", "getSeed", "getPartitions", "getStepProtocol",
                         "getValidationFraction", "getEarlyStoppingPatience", "getConfig"]
    mllib_getters = ["getMaxIter", "getStepSize", "getTol", "getSolver", "getBlockSize"]
    for java_class, getters in [("SparkpropClassifier", sparkprop_getters + mllib_getters),
                                ("SparkpropClassificationModel", sparkprop_getters + mllib_getters),
                                ("SparkpropRegressor", sparkprop_getters),
                                ("SparkpropRegressionModel", sparkprop_getters)]:
        j = getattr(spark._jvm.io.sparkprop.ml, java_class)()
        for getter in getters:
            name = getter[3].lower() + getter[4:]
            value = getattr(j, getter)()
            assert value is not None, (java_class, getter)
            # The fit decides the others' answers (MLlib's defaults or ours): see the next lines and test_mllib.py.
            if name not in FIT_DECIDED:
                assert value == jvm_values(spark, j, name)[0], (java_class, getter)
        if "getMaxIter" in getters:  # nothing set: our defaults, the twins agree
            assert (j.getMaxIter(), j.getStepSize(), j.getSolver()) == (j.getEpochs(), j.getLearningRate(), "adam")
    # Set through MLlib's names only: the JVM's getters report the fit's sigmoid, l-bfgs and maxIter.
    clf = SparkpropClassifier(layers=[4, 5, 3], maxIter=9)
    clf._transfer_params_to_java()
    j = clf._java_obj
    assert (j.getActivation(), j.getOptimizer(), j.getEpochs(), j.getLearningRate(), list(j.getHiddenLayers())) == \
        ("sigmoid", "lbfgs", 9, 0.03, [5])


@pytest.mark.parametrize("kwargs,message", [
    ({"learningRate": -1.0}, "parameter learningRate given invalid value -1.0"),
    ({"activation": "swish"}, "parameter activation given invalid value swish"),
    ({"hiddenLayers": [8, 0]}, "parameter hiddenLayers given invalid value"),
    ({"validationFraction": 1.0}, "parameter validationFraction given invalid value 1.0"),
    ({"layers": [4]}, "parameter layers given invalid value"),
    ({"solver": "newton"}, "parameter solver given invalid value newton"),
    ({"maxIter": 0}, "parameter maxIter given invalid value 0"),
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
    p = clf.getParam(name)
    assert not clf.isDefined(p) or clf.getOrDefault(p) != value  # layers has no default


def test_weight_params_reach_the_jvm(spark):
    # classWeights as a list becomes the comma-separated text the JVM param holds; "balanced" stays a word.
    clf = SparkpropClassifier(weightCol="w", classWeights=[1, 2.5])
    assert clf.getWeightCol() == "w" and clf.getClassWeights() == "1.0,2.5"
    fresh = SparkpropClassifier()
    assert not fresh.isSet(fresh.weightCol) and not fresh.hasDefault(fresh.classWeights)
    clf._transfer_params_to_java()
    assert jvm_values(spark, clf._java_obj, "weightCol", "classWeights") == ["w", "1.0,2.5"]
    reg = SparkpropRegressor().setWeightCol("w").setClassWeights("balanced")
    assert reg.getClassWeights() == "balanced"
    with pytest.raises(ValueError, match="parameter classWeights given invalid value heavy"):
        SparkpropClassifier(classWeights="heavy")


def test_categorical_params_reach_the_jvm_and_are_checked_there(spark):
    clf = SparkpropClassifier(categoricalSlots=[1, 4], categoricalCardinalities=[12, 3])
    assert clf.getCategoricalSlots() == [1, 4] and clf.getCategoricalCardinalities() == [12, 3]
    clf._transfer_params_to_java()
    assert jvm_values(spark, clf._java_obj, "categoricalSlots", "categoricalCardinalities") == [[1, 4], [12, 3]]
    with pytest.raises(ValueError, match="categoricalSlots"):
        SparkpropRegressor().setCategoricalSlots([-1])
    with pytest.raises(ValueError, match="categoricalCardinalities"):
        SparkpropRegressor().setCategoricalCardinalities([0])
