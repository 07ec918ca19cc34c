// Param validators Spark does not ship, serializable like every Param (models travel inside task closures).
package io.sparkprop.ml;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

import scala.runtime.AbstractFunction1;

final class Validators {
    private Validators() {
    }

    /** Every layer size >= 1. */
    static final class AllPositive extends AbstractFunction1<int[], Object> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(int[] sizes) {
            return Arrays.stream(sizes).allMatch(s -> s >= 1);
        }
    }

    /** Feature indices: each >= 0. */
    static final class AllNonNegative extends AbstractFunction1<int[], Object> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(int[] slots) {
            return Arrays.stream(slots).allMatch(s -> s >= 0);
        }
    }

    /** MLlib's layers: input, hidden…, output, at least two sizes, each >= 1. */
    static final class MllibLayers extends AbstractFunction1<int[], Object> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(int[] sizes) {
            return sizes.length >= 2 && Arrays.stream(sizes).allMatch(s -> s >= 1);
        }
    }

    /** train.class-weights as text: "balanced", or finite weights >= 0 separated by commas. */
    static final class ClassWeightsText extends AbstractFunction1<String, Object> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(String text) {
            try {
                return !io.sparkprop.trainer.config.ClassWeights.parse(text).isNone();
            } catch (io.sparkprop.trainer.UserError e) {
                return false;
            }
        }
    }

    /**
     * The layerList param: HOCON or JSON text of one list ("" = an empty list, the dense stack). Its entries are
     * checked when fit reads the config, with the config's own one-line errors (model.layers[i].key: ...).
     */
    static final class LayerListText extends AbstractFunction1<String, Object> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(String text) {
            try {
                parse(text);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        /** The list {@code text} holds; IllegalArgumentException when it is not one list. */
        static com.typesafe.config.ConfigValue parse(String text) {
            if (text == null || text.isBlank()) {
                return com.typesafe.config.ConfigValueFactory.fromIterable(List.of(), "param layerList");
            }
            try {
                com.typesafe.config.ConfigValue v = com.typesafe.config.ConfigFactory.parseString("layers = " + text)
                        .getValue("layers");
                if (v.valueType() == com.typesafe.config.ConfigValueType.LIST) {
                    return v;
                }
            } catch (com.typesafe.config.ConfigException e) {
                throw new IllegalArgumentException("layerList: " + e.getMessage(), e);
            }
            throw new IllegalArgumentException("layerList: expected a list [{type = ...}, ...]");
        }
    }

    /** "[a, b, c]" (as Activation.names() and Loss.names() print them) → [a, b, c]. */
    static List<String> names(String joined) {
        return Arrays.stream(joined.split("[\\[\\],]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
