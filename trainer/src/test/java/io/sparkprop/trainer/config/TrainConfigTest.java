// Tests for TrainConfig validation: each bad input fails with the one-line message the user will see.
package io.sparkprop.trainer.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.data.OnBadRow;
import io.sparkprop.trainer.data.Scaling;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.ScheduleKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainConfigTest {
    private static TrainConfig of(String... sets) {
        return TrainConfig.from(ConfigLoader.load(null, List.of(sets)));
    }

    private static String error(String... sets) {
        return assertThrows(UserError.class, () -> of(sets)).getMessage();
    }

    @Test
    void defaults() {
        TrainConfig t = TrainConfig.defaults();
        assertEquals("builtin:wheat-seeds", t.dataTrain());
        assertEquals(false, t.hasTest());
        assertEquals(DataFormat.AUTO, t.format());
        assertEquals("", t.labelColumn());
        assertEquals(0.2, t.validationFraction());
        assertEquals(Scaling.AUTO, t.scale());
        assertEquals(0, t.numFeatures());
        assertEquals(OnBadRow.FAIL, t.onBadRow());
        assertArrayEquals(new int[] {16}, t.hidden());
        assertEquals(Activation.RELU, t.activation());
        assertEquals(Loss.SOFTMAX_CROSS_ENTROPY, t.loss());
        assertEquals(Init.HE, t.init());
        assertEquals(0.0, t.dropout());
        assertEquals(OptimizerKind.ADAM, t.optimizer());
        assertEquals(0.01, t.learningRate());
        assertEquals(0.9, t.momentum());
        assertEquals(0.0, t.weightDecay());
        assertEquals(0.0, t.clipNorm());
        assertEquals(ScheduleKind.CONSTANT, t.schedule());
        assertEquals(0, t.warmupEpochs());
        assertEquals(0.5, t.gamma());
        assertEquals(10, t.stepEpochs());
        assertEquals(0.0, t.minLearningRate());
        assertEquals("", t.runName());
        assertEquals(EngineKind.LOCAL, t.engineKind());
        assertEquals(50, t.epochs());
        assertEquals(32, t.batchSize());
        assertEquals(42L, t.seed());
        assertEquals(0, t.earlyStoppingPatience());
        assertEquals(0, t.threads());
        assertEquals(1, t.folds());
        assertEquals(0, t.partitions());
        assertEquals(2, t.treeDepth());
        assertEquals(StorageChoice.MEMORY_AND_DISK, t.storageLevel());
        assertEquals(Path.of("out", "checkpoints"), t.checkpointDir(Path.of("out")));
        assertEquals(1, t.checkpointEvery());
        assertEquals(Backend.AUTO, t.backend());
        assertEquals(Precision.FLOAT64, t.computePrecision());
        assertEquals(Precision.FLOAT32, of("compute.precision=float32").computePrecision());
        assertEquals(Precision.FLOAT32, of("compute.precision=FLOAT32").computePrecision());
        assertEquals(ConfigText.canonicalHash(t.config()), ConfigText.canonicalHash(of().config()));
    }

    @Test
    void choicesAreCaseInsensitiveAndInitAutoFollowsActivation() {
        TrainConfig t = of("model.activation=TANH", "optimizer.name=SGD", "spark.storage-level=memory_only",
                "model.hidden=[]", "data.label-column=3", "model.init=he");
        assertEquals(Activation.TANH, t.activation());
        assertEquals(OptimizerKind.SGD, t.optimizer());
        assertEquals(StorageChoice.MEMORY_ONLY, t.storageLevel());
        assertArrayEquals(new int[0], t.hidden());
        assertEquals("3", t.labelColumn());
        assertEquals(Init.HE, t.init());
        assertEquals(Init.XAVIER, of("model.activation=sigmoid").init());
        assertArrayEquals(new int[] {64}, of("model.hidden=64").hidden());
    }

    @Test
    void partialConfigFallsBackToReference() {
        TrainConfig t = TrainConfig.from(ConfigFactory.parseString("train.epochs = 3"));
        assertEquals(3, t.epochs());
        assertEquals(OptimizerKind.ADAM, t.optimizer());
    }

    @Test
    void unknownKeysSuggestTheNearestKnownOne() {
        assertEquals("unknown key 'optimzer.name' (did you mean 'optimizer.name'?)", error("optimzer.name=sgd"));
        assertEquals("unknown key 'train.epoch' (did you mean 'train.epochs'?)", error("train.epoch=3"));
        assertEquals("unknown key 'learning-rate' (did you mean 'optimizer.learning-rate'?)",
                error("learning-rate=0.1"));
        assertEquals("unknown key 'train.early-stopping' (did you mean 'train.early-stopping-patience'?)",
                error("train.early-stopping=3"));
        assertEquals("unknown key 'banana.split'", error("banana.split=1"));
        assertEquals("model: expected an object { ... }, got '3'", error("model=3"));
        // The sweep subtree is free-form here.
        assertEquals(3, of("sweep.anything.goes=[1,2]", "train.epochs=3").epochs());
    }

    @Test
    void wrongTypes() {
        assertEquals("train.epochs: expected an integer, got 'ten'", error("train.epochs=ten"));
        assertEquals("train.epochs: expected an integer, got '2.5'", error("train.epochs=2.5"));
        assertEquals("optimizer.learning-rate: expected a number, got 'fast'", error("optimizer.learning-rate=fast"));
        assertEquals("model.hidden: expected a list of integers, got '[8,\"x\"]'", error("model.hidden=[8, x]"));
        assertEquals("optimizer.name: expected a string, got '[1]'", error("optimizer.name=[1]"));
        assertEquals("train.seed: expected a value, got null", error("train.seed=null"));
    }

    @Test
    void outOfRange() {
        assertEquals("optimizer.learning-rate: must be > 0, got -0.1", error("optimizer.learning-rate=-0.1"));
        assertEquals("optimizer.learning-rate: must be > 0, got 0", error("optimizer.learning-rate=0"));
        assertEquals("train.batch-size: must be >= 1, got 0", error("train.batch-size=0"));
        assertEquals("data.validation-fraction: must be in [0, 1), got 1", error("data.validation-fraction=1.0"));
        assertEquals("data.validation-fraction: must be in [0, 1), got 1.5", error("data.validation-fraction=1.5"));
        assertEquals("model.dropout: must be in [0, 1), got 1", error("model.dropout=1"));
        assertEquals("schedule.gamma: must be in (0, 1], got 0", error("schedule.gamma=0"));
        assertEquals("optimizer.momentum: must be in [0, 1), got 1.5", error("optimizer.momentum=1.5"));
        assertEquals("train.epochs: must be >= 1, got 0", error("train.epochs=0"));
        assertEquals("eval.folds: must be >= 1, got -2", error("eval.folds=-2"));
        assertEquals("model.hidden: every layer needs at least 1 unit, got 0", error("model.hidden=[16, 0]"));
        assertEquals("data.train: expected a path or builtin:<name>, got ''", error("data.train="));
    }

    @Test
    void unknownChoices() {
        assertEquals("model.activation: unknown 'relux', expected one of [identity, sigmoid, tanh, relu, leaky-relu]",
                error("model.activation=relux"));
        assertEquals("model.loss: unknown 'hinge', expected one of [softmax-cross-entropy, mse, sigmoid-cross-entropy]",
                error("model.loss=hinge"));
        assertEquals("optimizer.name: unknown 'bfgs', expected one of "
                + "[sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, lbfgs]", error("optimizer.name=bfgs"));
        assertEquals("model.init: unknown 'lecun', expected one of [auto, xavier, he, uniform] or \"file:PATH\"",
                error("model.init=lecun"));
        assertEquals("model.output: unknown 'tanh', expected one of [auto, identity, sigmoid, softmax]",
                error("model.output=tanh"));
        assertEquals("schedule.name: unknown 'linear', expected one of [constant, step, exponential, cosine]",
                error("schedule.name=linear"));
        assertEquals("spark.storage-level: unknown 'RAM', expected one of " + Arrays.toString(StorageChoice.values()),
                error("spark.storage-level=RAM"));
        assertEquals("spark.protocol: unknown 'allreduce', expected one of [auto, driver, barrier]",
                error("spark.protocol=allreduce"));
        assertEquals("train.engine: unknown 'yarn', expected one of [local, spark]", error("train.engine=yarn"));
        assertEquals("compute.precision: unknown 'float16', expected one of [float64, float32]",
                error("compute.precision=float16"));
    }

    @Test
    void outputUnitsAreDecoupledFromTheLoss() {
        assertEquals(Output.SOFTMAX, of("model.loss=softmax-cross-entropy").output());
        assertEquals(Output.SIGMOID, of("model.loss=sigmoid-cross-entropy").output());
        assertEquals(Output.IDENTITY, of("model.loss=mse").output());
        TrainConfig quadratic = of("model.loss=mse", "model.output=sigmoid");
        assertEquals(Output.SIGMOID, quadratic.output());
        assertTrue(quadratic.classification(), "mse on sigmoid units and one label column classifies");
        assertFalse(of("model.loss=mse").classification());
        assertFalse(of("model.loss=mse", "model.output=sigmoid", "data.label-column=[a, b]").classification(),
                "several targets under mse are real values");
        assertTrue(of("model.loss=sigmoid-cross-entropy", "data.label-column=[0, 2]").classification());
        assertEquals(List.of("0", "2"), of("model.loss=mse", "data.label-column=[0, 2]").labelColumns());
        assertEquals("model.output: softmax-cross-entropy is the log-likelihood of softmax outputs, not of sigmoid"
                        + " ones (use model.output = auto or softmax, or model.loss = mse)",
                error("model.output=sigmoid"));
        assertTrue(error("model.loss=sigmoid-cross-entropy", "model.output=identity").startsWith("model.output: "));
        assertEquals("data.label-column: several targets need model.loss = mse (real values) or sigmoid-cross-entropy"
                + " (0/1 labels); softmax-cross-entropy takes one class column", error("data.label-column=[a, b]"));
        assertTrue(error("model.loss=mse", "data.label-column=[a, a]").startsWith("data.label-column: names"));
    }

    @Test
    void initFromAFileOrUniform() {
        assertEquals("w.json", of("model.init=\"file:w.json\"").initFile());
        assertEquals("", of("model.init=uniform").initFile());
        assertEquals(Init.UNIFORM, of("model.init=uniform").init());
        assertEquals("model.init: file: needs a path (a saved model directory or a JSON weights file)",
                error("model.init=\"file:\""));
    }

    @Test
    void runNameFallsBackToTheFileName() {
        assertEquals("iris-deep", TrainConfig.defaults().runName(Path.of("conf/iris-deep.conf")));
        assertEquals("run", TrainConfig.defaults().runName(null));
        assertEquals("mine", of("train.name=mine").runName(Path.of("conf/x.conf")));
    }

    @Test
    void parquetNeedsTheSparkEngineAndOneFoldAndNamedColumns() {
        assertEquals("data.format: parquet is read on the executors through Spark SQL; set train.engine = spark",
                error("data.format=parquet"));
        assertEquals("eval.folds: 3 needs the rows on the driver; Parquet input trains with eval.folds = 1",
                error("data.format=parquet", "train.engine=spark", "eval.folds=3"));
        assertEquals(List.of("a", "b"), of("data.feature-columns=[a, b]").featureColumns());
        assertEquals(List.of("v"), of("data.feature-columns=v").featureColumns());
        assertEquals("data.feature-columns: a column name is empty", error("data.feature-columns=[\"\"]"));
    }
}
