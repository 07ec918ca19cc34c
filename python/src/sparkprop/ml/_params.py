# The params of sparkprop's estimators and models: the JVM's SparkpropParams and MllibParams, name for name, doc
# for doc.
"""Python declarations of ``io.sparkprop.ml.SparkpropParams`` (every class) and ``MllibParams`` (the classifier
and its model: MLlib's MultilayerPerceptronClassifier names).

Each ``Param`` has the JVM param's name, doc string and a type converter matching its Java class
(IntArrayParam -> toListInt, DoubleParam -> toFloat, IntParam/LongParam -> toInt, Param[String] -> toString,
Param[Vector] -> toVector); the defaults are the JVM's. ``tests/test_params.py`` asks the JVM for all three and
fails on any difference, so a param added on the JVM side must be added here.
"""
import functools
from typing import Any, Dict, List

from py4j.java_gateway import JavaObject
from pyspark.ml.param import Param, Params, TypeConverters

# Param name -> (doc, converter), in the JVM's order (docs/spark-ml.md's param table), then validationIndicatorCol.
_DECLARED = [
    ("hiddenLayers", "hidden layer sizes, input side first; [] = a linear model (model.hidden)",
     TypeConverters.toListInt),
    ("activation", "hidden-layer activation: [identity, sigmoid, tanh, relu, leaky-relu] (model.activation)",
     TypeConverters.toString),
    ("loss", "output layer and loss: [softmax-cross-entropy, mse, sigmoid-cross-entropy] (model.loss)",
     TypeConverters.toString),
    ("optimizer", "update rule: [sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, lbfgs] (optimizer.name)",
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
    ("weightCol", "name of a numeric column of row weights (finite, >= 0): a row's loss and gradient count w times,"
     " a step divides by its batch's total weight, the metrics are weighted; unset = every row weighs 1"
     " (data.weight-column)", TypeConverters.toString),
    ("classWeights", "\"balanced\" (n / (classes x n_class) on the training rows) or one weight >= 0 per class"
     " index, comma-separated; unset = none (train.class-weights)", TypeConverters.toString),
    ("layerList", "the network layer by layer, the HOCON or JSON list of model.layers (e.g. [{type = conv2d,"
     " filters = 8, kernel = 3}, {type = flatten}]); \"\" = the dense stack of hiddenLayers (model.layers)",
     TypeConverters.toString),
    ("inputShape", "[channels, height, width] of each features vector for layerList; [] = flat"
     " (model.input-shape)", TypeConverters.toListInt),
    ("categoricalSlots", "indices in the features vector holding category codes for a first embedding layer, with"
     " categoricalCardinalities; unset = the features column's nominal attributes (StringIndexer +"
     " VectorAssembler)", TypeConverters.toListInt),
    ("categoricalCardinalities", "known categories of each categoricalSlots entry; code k (StringIndexer's"
     " handleInvalid = keep index) is the unseen-category row", TypeConverters.toListInt),
    ("config", "HOCON text with any other key of the CLI's config (e.g. \"schedule.name = cosine\"); validated as"
     " the CLI validates it", TypeConverters.toString),
    ("validationIndicatorCol", "name of a boolean column: true rows form the validation split (instead of"
     " validationFraction's random one), false rows train", TypeConverters.toString),
]

# MLlib's MultilayerPerceptronClassifier params (MllibParams on the JVM): the classifier and its model only.
_MLLIB_DECLARED = [
    ("layers", "MLlib's layer sizes from input to output, e.g. [4, 5, 3]: the hidden ones become model.hidden, the"
     " first and last must equal the data's features and classes", TypeConverters.toListInt),
    ("maxIter", "MLlib's maximum iterations, >= 1: epochs for gd and our optimizers, iterations for l-bfgs"
     " (train.epochs)", TypeConverters.toInt),
    ("stepSize", "MLlib's step size, > 0 (optimizer.learning-rate)", TypeConverters.toFloat),
    ("tol", "l-bfgs's convergence tolerance, >= 0 (optimizer.tolerance)", TypeConverters.toFloat),
    ("solver", "MLlib's solver: l-bfgs (optimizer.name = lbfgs) or gd (sgd on the full batch), or any"
     " optimizer.name [sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, lbfgs]", TypeConverters.toString),
    ("blockSize", "MLlib's rows stacked per matrix, >= 1; accepted and not used (each partition's rows are one"
     " cached block; train.batch-size cuts the batches)", TypeConverters.toInt),
    ("initialWeights", "starting weights in MLlib's order (per layer: W, out × in, column-major, then b) on the raw"
     " features (model.init; data.scale = none)", TypeConverters.toVector),
]

PARAM_NAMES = [name for name, _, _ in _DECLARED + _MLLIB_DECLARED]

# The JVM's defaults: reference.conf's values under Spark ML's conventions (every row trains: no validation
# split), the regressor's loss mse. validationIndicatorCol, weightCol, classWeights and the categorical params have
# none.
REGRESSOR_DEFAULTS: Dict[str, Any] = {
    "hiddenLayers": [16], "activation": "relu", "loss": "mse", "optimizer": "adam",
    "learningRate": 0.01, "batchSize": 32, "epochs": 50, "seed": 42, "partitions": 0, "stepProtocol": "auto",
    "validationFraction": 0.0, "earlyStoppingPatience": 0, "config": "", "layerList": "", "inputShape": [],
}
# MLlib's defaults for its names (layers and initialWeights have none, as in MLlib).
MLLIB_DEFAULTS: Dict[str, Any] = {"maxIter": 100, "stepSize": 0.03, "tol": 1e-6, "solver": "l-bfgs",
                                  "blockSize": 128}
CLASSIFIER_DEFAULTS: Dict[str, Any] = dict(REGRESSOR_DEFAULTS, loss="softmax-cross-entropy", **MLLIB_DEFAULTS)


def _declare(cls: type, declared: List[Any] = _DECLARED) -> type:
    """Adds one class attribute per JVM param, a getter get<Name> and a setter set<Name>."""
    for name, doc, converter in declared:
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
        weights = kwargs.get("classWeights")
        if isinstance(weights, (list, tuple)):
            # One weight per class index, as the comma-separated text the JVM param holds.
            kwargs["classWeights"] = ",".join(repr(float(w)) for w in weights)
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


# The getters whose answer the fit decides (MllibParams on the JVM): the set value, else its twin's, else config's
# key, else the default of the mode (MLlib's when only MLlib's names are set).
FIT_DECIDED = ["hiddenLayers", "activation", "optimizer", "learningRate", "batchSize", "epochs", "maxIter",
               "stepSize", "tol", "solver"]


def _fit_decided(cls: type) -> type:
    """Replaces the getters of FIT_DECIDED by ones asking the JVM object what its fit would use."""
    for name in FIT_DECIDED:
        cap = name[0].upper() + name[1:]
        plain = getattr(cls, "get" + cap)

        def getter(self: Params, _n: str = name, _cap: str = cap, _plain: Any = plain) -> Any:
            java = getattr(self, "_java_obj", None)
            if not isinstance(java, JavaObject):  # Spark Connect: the params' values
                return _plain(self)
            from sparkprop.ml._jvm import jvm_errors

            self._transfer_params_to_java()
            with jvm_errors():
                value = getattr(java, "get" + _cap)()
            return list(value) if _n == "hiddenLayers" else value

        getter.__name__ = "get" + cap
        getter.__doc__ = ("What a fit would use for `%s`: its value if set, else its twin's among MLlib's names and"
                          " ours, else config's key, else the default (MLlib's when only MLlib's names are set)."
                          % name)
        setattr(cls, "get" + cap, getter)
    return cls


@_fit_decided
@functools.partial(_declare, declared=_MLLIB_DECLARED)
class _MllibParams(_SparkpropParams):
    """The sparkprop params and MLlib's MultilayerPerceptronClassifier names (the classifier and its model).

    When only MLlib's names are set, the JVM's fit takes MLlib's defaults for the rest (l-bfgs, sigmoid, ...), and
    the getters of FIT_DECIDED say so: they ask the JVM what the fit would use (in a classic session).
    """


def param_names() -> List[str]:
    """Every param name declared here (sparkprop's and MLlib's)."""
    return list(PARAM_NAMES)
