// The categorical slots of a Spark ML features column: from the categoricalSlots/categoricalCardinalities params,
// else from the nominal attributes StringIndexer and VectorAssembler write into the column's metadata.
package io.sparkprop.ml;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.types.StructType;

import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.nn.LayerKind;

/**
 * Only a network whose model.layers starts with an embedding reads categorical slots; for any other the nominal
 * attributes are ignored (the codes are features like any other, as before) and the params are refused. A nominal
 * attribute of k values whose last is StringIndexer's {@value #UNKNOWN} (handleInvalid = keep) has cardinality
 * k − 1: its index k − 1 is then exactly the embedding's unseen-category row.
 */
final class NominalSlots {
    /** The label StringIndexer appends under handleInvalid = keep. */
    static final String UNKNOWN = "__unknown";

    private NominalSlots() {
    }

    /** The slots, or null to leave the choice to data.categorical-columns (from the config param). */
    static Categorical of(SparkpropParams<?> p, StructType schema, String featuresCol, TrainConfig cfg, String who) {
        boolean embeds = !cfg.layers().isEmpty() && cfg.layers().get(0).kind() == LayerKind.EMBEDDING;
        boolean set = p.isSet(p.categoricalSlots()) || p.isSet(p.categoricalCardinalities());
        if (!embeds) {
            if (set) {
                throw new IllegalArgumentException(who + " parameter categoricalSlots: needs model.layers to start"
                        + " with { type = embedding, dim = ... } (set it in config)");
            }
            return null;
        }
        if (set) {
            int[] slots = p.isSet(p.categoricalSlots()) ? p.getCategoricalSlots() : new int[0];
            int[] cards = p.isSet(p.categoricalCardinalities()) ? p.getCategoricalCardinalities() : new int[0];
            if (slots.length != cards.length) {
                throw new IllegalArgumentException(who + " parameter categoricalCardinalities: " + cards.length
                        + " values for " + slots.length + " categoricalSlots; give one per slot");
            }
            return Categorical.ofSlots(slots, cards);
        }
        if (!cfg.categoricalColumns().isEmpty()) {
            return null;
        }
        return fromMetadata(schema, featuresCol, who);
    }

    /** The nominal attributes of the vector column {@code featuresCol} (none: an empty Categorical). */
    static Categorical fromMetadata(StructType schema, String featuresCol, String who) {
        if (!List.of(schema.fieldNames()).contains(featuresCol)) {
            return Categorical.NONE; // the fit's own check names the missing column
        }
        AttributeGroup group = AttributeGroup.fromStructField(schema.apply(featuresCol));
        if (group.attributes().isEmpty()) {
            return Categorical.NONE;
        }
        Attribute[] attrs = group.attributes().get();
        List<Integer> slots = new ArrayList<>();
        List<Integer> cards = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < attrs.length; i++) {
            if (!(attrs[i] instanceof NominalAttribute a)) {
                continue;
            }
            String name = a.name().isDefined() ? a.name().get() : "feature " + i;
            int k;
            if (a.values().isDefined()) {
                String[] values = a.values().get();
                k = values.length - (values.length > 1 && UNKNOWN.equals(values[values.length - 1]) ? 1 : 0);
            } else if (a.numValues().isDefined()) {
                k = (Integer) a.numValues().get();
            } else {
                throw new IllegalArgumentException(who + " parameter featuresCol: nominal attribute \"" + name
                        + "\" (slot " + i + ") does not say how many values it has; set categoricalSlots and"
                        + " categoricalCardinalities");
            }
            slots.add(a.index().isDefined() ? (Integer) a.index().get() : i);
            cards.add(k);
            names.add(name);
        }
        return new Categorical(slots.stream().mapToInt(Integer::intValue).toArray(),
                cards.stream().mapToInt(Integer::intValue).toArray(), names);
    }
}
