// The output unit an exported graph ends with, chosen from the model in one place.
package io.sparkprop.trainer.export;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.model.Model;

/**
 * What follows the last dense layer's logits z (N × k) in the ONNX graph. {@link #of} is the only place that
 * maps a model to its output unit: when models gain an output key of their own (decoupled from the loss), or
 * several regression targets, only that function changes.
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
}
