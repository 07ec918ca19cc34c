# The params of sparkprop's estimators and models: the JVM's SparkpropParams, name for name, doc for doc.
"""Python declarations of ``io.sparkprop.ml.SparkpropParams``.

Each ``Param`` has the JVM param's name, doc string and a type converter matching its Java class
(IntArrayParam -> toListInt, DoubleParam -> toFloat, IntParam/LongParam -> toInt, Param[String] -> toString);
the defaults are the JVM's. ``tests/test_params.py`` asks the JVM for all three and fails on any difference,
so a param added on the JVM side must be added here.
"""
from typing import Any, Dict, List

from py4j.java_gateway import JavaObject
from pyspark.ml.param import Param, Params, TypeConverters

# Param name -> (doc, converter), in the JVM's order (the README's param table).
_DECLARED = [
    ("hiddenLayers", "hidden layer sizes, input side first; [] = a linear model (model.hidden)",
     TypeConverters.toListInt),
    ("activation", "hidden-layer activation: [identity, sigmoid, tanh, relu, leaky-relu] (model.activation)",
     TypeConverters.toString),
    ("loss", "output layer and loss: [softmax-cross-entropy, mse, sigmoid-cross-entropy] (model.loss)",
     TypeConverters.toString),
    ("optimizer", "update rule: [sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw] (optimizer.name)",
     TypeConverters.toString),
    ("learningRate", "base step size, > 0 (optimizer.learning-rate)", TypeConverters.toFloat),
    ("batchSize", "examples per gradient step, >= 1 (train.batch-size)", TypeConverters.toInt),
    ("epochs", "passes over the training data, >= 1 (train.epochs)", TypeConverters.toInt),
    ("seed", "seed for the validation split, batch order, init and dropout (train.seed)", TypeConverters.toInt),
    ("partitions", "partitions of the cached training blocks; 0 = the default parallelism (spark.partitions)",
     TypeConverters.toInt),
    ("stepProtocol", "how steps are synchronised: [auto, driver, barrier] (spark.protocol)",
     TypeConverters.toString),
    ("validationFraction", "fraction of the rows held out for validation, in [0, 1) (data.validation-fraction)",
     TypeConverters.toFloat),
    ("earlyStoppingPatience", "stop after this many epochs without validation improvement; 0 = off"
     " (train.early-stopping-patience)", TypeConverters.toInt),
    ("config", "HOCON text with any other key of the CLI's config (e.g. \"schedule.name = cosine\"); validated as"
     " the CLI validates it", TypeConverters.toString),
]

PARAM_NAMES = [name for name, _, _ in _DECLARED]

# The JVM's defaults: reference.conf's values (the regressor's loss is mse).
CLASSIFIER_DEFAULTS: Dict[str, Any] = {
    "hiddenLayers": [16], "activation": "relu", "loss": "softmax-cross-entropy", "optimizer": "adam",
    "learningRate": 0.01, "batchSize": 32, "epochs": 50, "seed": 42, "partitions": 0, "stepProtocol": "auto",
    "validationFraction": 0.2, "earlyStoppingPatience": 0, "config": "",
}
REGRESSOR_DEFAULTS: Dict[str, Any] = dict(CLASSIFIER_DEFAULTS, loss="mse")


def _declare(cls: type) -> type:
    """Adds one class attribute per JVM param, a getter get<Name> and a setter set<Name>."""
    for name, doc, converter in _DECLARED:
        setattr(cls, name, Param(Params._dummy(), name, doc, typeConverter=converter))
        cap = name[0].upper() + name[1:]

        def getter(self: Params, _n: str = name) -> Any:
            return self.getOrDefault(getattr(self, _n))

        def setter(self: Params, value: Any, _n: str = name) -> Any:
            return self._set(**{_n: value})

        getter.__name__, getter.__doc__ = "get" + cap, "Gets the value of `%s` or its default value." % name
        setter.__name__, setter.__doc__ = "set" + cap, "Sets the value of `%s`: %s" % (name, doc)
        setattr(cls, "get" + cap, getter)
        setattr(cls, "set" + cap, setter)
    return cls


@_declare
class _SparkpropParams(Params):
    """The sparkprop params, shared by the estimators and their models.

    A value is checked by the JVM param's own validator when it is set (as on the JVM), so a bad value fails
    there with the JVM's one-line message, raised as ValueError.
    """

    _defaults: Dict[str, Any] = CLASSIFIER_DEFAULTS

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._setDefault(**self._defaults)

    def _set(self, **kwargs: Any) -> Any:
        checked = {}
        for name, value in kwargs.items():
            if value is not None and name in PARAM_NAMES:
                checked[name] = self.getParam(name).typeConverter(value)
        before = {n: self._paramMap.get(self.getParam(n)) for n in checked}
        super()._set(**kwargs)
        java = getattr(self, "_java_obj", None)
        # Classic pyspark only: under Spark Connect the Java side is a name or a reference on the server.
        if checked and isinstance(java, JavaObject):
            from sparkprop.ml._jvm import jvm_errors

            for name, value in checked.items():
                try:
                    with jvm_errors():
                        # ParamPair's constructor runs the JVM param's validator; nothing is set there.
                        self._make_java_param_pair(self.getParam(name), value)
                except ValueError:
                    for n, old in before.items():
                        self.clear(self.getParam(n))
                        if old is not None:
                            self._paramMap[self.getParam(n)] = old
                    raise
        return self


def param_names() -> List[str]:
    return list(PARAM_NAMES)
