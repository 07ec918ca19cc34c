// The output unit an exported graph ends with, chosen from the model in one place.
package io.sparkprop.trainer.export;

import java.util.List;

import com.typesafe.config.ConfigFactory;

import ai.onnx.proto.OnnxMl.AttributeProto;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;

/**
 * What follows the last dense layer's logits z (N × k) in the ONNX graph. {@link #of} is the only place that
 * maps a model to its output unit, and {@link #append} the only place that writes its nodes. The operator is
 * the model's own output unit ({@link Network#output}: Softmax, Sigmoid or Identity); what the graph outputs
 * follows {@link Network#classifier}, as {@code predict} does:
 * <ul>
 * <li>a classifier on one label column: {@code probabilities} (N × k, the unit's p, one column per class) and
 *     {@code label} = ArgMax (int64 N). A single sigmoid unit becomes the two columns [1 − p, p].</li>
 * <li>a multi-label classifier (several 0/1 target columns): {@code probabilities} (N × k, one column per
 *     target) and no {@code label}; each column's decision is p &gt; 0.5, as predict writes it.</li>
 * <li>regression (mse with any unit, one or several targets): {@code values} (N × k), the unit's p.</li>
 * </ul>
 */
public final class OutputUnit {
    /** The model's output unit. */
    public final Output output;
    /** The ONNX operator applied to the logits. */
    public final String op;
    /** Name of the graph output holding the unit's result, (N × k) or (N × 2) for one sigmoid unit. */
    public final String outputName;
    /** Whether the graph also outputs {@code label}: int64 (N), the arg-max, an index into the class names. */
    public final boolean hasLabel;
    /** One sigmoid unit of a classifier written as the two class columns [1 − p, p]. */
    private final boolean twoColumns;

    private OutputUnit(Output output, boolean classifier, boolean multiLabel, int k) {
        this.output = output;
        this.op = switch (output) {
            case SOFTMAX -> "Softmax";
            case SIGMOID -> "Sigmoid";
            case IDENTITY -> "Identity";
        };
        this.outputName = classifier ? "probabilities" : "values";
        this.hasLabel = classifier && !multiLabel;
        this.twoColumns = classifier && k == 1 && output == Output.SIGMOID;
    }

    /** The output unit of {@code m}: its network's output unit, classifier flag and target count. */
    public static OutputUnit of(Model m) {
        Network net = m.net();
        if (net.classifier && m.classNames() == null) {
            throw new UserError("model with loss " + net.loss.configName + " has no class names; cannot export"
                    + " a label output");
        }
        return new OutputUnit(net.output, net.classifier, net.classifier && multiTarget(m), net.outputs());
    }

    /** Whether the model was trained on several target columns (data.label-column = [t1, t2]). */
    private static boolean multiTarget(Model m) {
        if (m.config() == null || m.config().isBlank()) {
            return false;
        }
        return TrainConfig.from(ConfigFactory.parseString(m.config()).withFallback(ConfigLoader.reference())
                .resolve()).multiTarget();
    }

    /** The unit's name in the model metadata: softmax | sigmoid | identity. */
    public String name() {
        return output.configName;
    }

    /**
     * Appends the nodes from logits z (N × k) to the graph output {@link #outputName} and its {@code label}
     * (ArgMax over the columns, int64 N) when {@link #hasLabel}; returns the output's column count.
     */
    int append(OnnxGraph g, String z, int k) {
        AttributeProto[] rows = {OnnxGraph.intAttribute("axis", 1)};
        int columns = k;
        if (twoColumns) {
            // One unit holds p(second class); the output carries both columns so column j is class j.
            String p1 = g.node(op, "p1", z);
            String p0 = g.node("Sub", "p0", g.constant("one", new double[] {1.0}), p1);
            g.node("Concat", outputName, rows, p0, p1);
            columns = 2;
        } else {
            g.node(op, outputName, output == Output.SOFTMAX ? rows : null, z);
        }
        g.output(outputName, columns);
        if (hasLabel) {
            g.node("ArgMax", OnnxExport.LABEL, new AttributeProto[] {OnnxGraph.intAttribute("axis", 1),
                OnnxGraph.intAttribute("keepdims", 0)}, outputName);
            g.int64Output(OnnxExport.LABEL);
        }
        return columns;
    }

    @Override
    public String toString() {
        return name() + " → " + outputName + (hasLabel ? " + " + OnnxExport.LABEL : "");
    }

    /** For tests and messages: the graph outputs in order. */
    public List<String> graphOutputs() {
        return hasLabel ? List.of(outputName, OnnxExport.LABEL) : List.of(outputName);
    }
}
