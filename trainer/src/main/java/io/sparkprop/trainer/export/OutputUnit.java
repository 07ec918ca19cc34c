// The output unit an exported graph ends with, chosen from the model in one place.
package io.sparkprop.trainer.export;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.model.Model;
import onnx.Onnx.AttributeProto;

/**
 * What follows the last dense layer's logits z (N × k) in the ONNX graph. {@link #of} is the only place that
 * maps a model to its output unit, and {@link #append} the only place that writes its nodes: when models gain
 * an output key of their own (decoupled from the loss), or several regression targets, only these change.
 */
public enum OutputUnit {
    /** p = softmax(z) over each row; outputs {@code probabilities} and the arg-max {@code label}. */
    SOFTMAX("Softmax", "probabilities", true),
    /**
     * p = σ(z) per unit; outputs {@code probabilities} and the arg-max {@code label}. A single unit (binary
     * classification) becomes the two columns [1 − p, p], one per class name, as {@code predict} prints them.
     */
    SIGMOID("Sigmoid", "probabilities", true),
    /** The logits themselves (regression); outputs {@code values}, no label. */
    IDENTITY("Identity", "values", false);

    /** The ONNX operator applied to the logits. */
    public final String op;
    /** Name of the graph output holding the unit's result, (N × k) or (N × 2) for one sigmoid unit. */
    public final String outputName;
    /** Whether the graph also outputs {@code label}: int64 (N), the index into the class names. */
    public final boolean hasLabel;

    OutputUnit(String op, String outputName, boolean hasLabel) {
        this.op = op;
        this.outputName = outputName;
        this.hasLabel = hasLabel;
    }

    /** The output unit of {@code m}; today it follows from the loss alone. */
    public static OutputUnit of(Model m) {
        OutputUnit unit = switch (m.net().loss) {
            case SOFTMAX_CROSS_ENTROPY -> SOFTMAX;
            case SIGMOID_CROSS_ENTROPY -> SIGMOID;
            case MSE -> IDENTITY;
        };
        if (unit.hasLabel && m.classNames() == null) {
            throw new UserError("model with loss " + m.net().loss.configName + " has no class names; cannot export"
                    + " a label output");
        }
        return unit;
    }

    /**
     * Appends the nodes from logits z (N × k) to the graph output {@link #outputName} and its {@code label}
     * (ArgMax over the columns, int64 N) when {@link #hasLabel}; returns the output's column count.
     */
    int append(OnnxGraph g, String z, int k) {
        AttributeProto[] rows = {OnnxGraph.intAttribute("axis", 1)};
        int columns = k;
        if (this == SIGMOID && k == 1) {
            // One unit holds p(second class); the output carries both columns so column j is class j.
            String p1 = g.node(op, "p1", z);
            String p0 = g.node("Sub", "p0", g.constant("one", new double[] {1.0}), p1);
            g.node("Concat", outputName, rows, p0, p1);
            columns = 2;
        } else {
            g.node(op, outputName, this == SOFTMAX ? rows : null, z);
        }
        g.output(outputName, columns);
        if (hasLabel) {
            g.node("ArgMax", OnnxExport.LABEL, new AttributeProto[] {OnnxGraph.intAttribute("axis", 1),
                OnnxGraph.intAttribute("keepdims", 0)}, outputName);
            g.int64Output(OnnxExport.LABEL);
        }
        return columns;
    }
}
