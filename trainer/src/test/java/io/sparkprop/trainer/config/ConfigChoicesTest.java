// Every choice key against its enum: each constant's spelling parses (in any case), is documented beside the key in
// reference.conf, and any other value fails with one line naming the key and listing the spellings.
package io.sparkprop.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigChoicesTest {
    /**
     * One choice key: its constants and their spellings, how TrainConfig exposes the parsed value, what else must be
     * set for every value to be valid, what the error lists before and after the spellings, and whether
     * reference.conf lists the values beside the key.
     */
    record Key<E>(String key, E[] values, Function<E, String> spelling, Function<TrainConfig, E> read,
                  List<String> with, String listedFirst, String orElse, boolean documented) {
        @Override
        public String toString() {
            return key;
        }
    }

    private static <E extends Enum<E>> Key<E> key(String key, E[] values, Function<TrainConfig, E> read,
                                                  String... with) {
        return new Key<>(key, values, E::toString, read, List.of(with), null, "", true);
    }

    static Stream<Key<?>> keys() {
        return Stream.of(
                key("data.format", DataFormat.values(), TrainConfig::format, "train.engine=spark"),
                key("data.scale", Scaling.values(), TrainConfig::scale),
                key("data.on-bad-row", OnBadRow.values(), TrainConfig::onBadRow),
                new Key<>("model.activation", Activation.values(), a -> a.configName, TrainConfig::activation,
                        List.of(), null, "", true),
                new Key<>("model.loss", Loss.values(), l -> l.configName, TrainConfig::loss, List.of(), null, "", true),
                // mse takes every output unit
                new Key<>("model.output", Output.values(), o -> o.configName, TrainConfig::output,
                        List.of("model.loss=mse"), "auto", "", true),
                new Key<>("model.init", Init.values(), i -> i.configName, TrainConfig::init, List.of(), "auto",
                        " or \"file:PATH\"", true),
                key("optimizer.name", OptimizerKind.values(), TrainConfig::optimizer),
                key("schedule.name", ScheduleKind.values(), TrainConfig::schedule),
                key("train.engine", EngineKind.values(), TrainConfig::engineKind),
                new Key<>("spark.storage-level", StorageChoice.values(), StorageChoice::id, TrainConfig::storageLevel,
                        List.of(), null, "", false),
                key("spark.protocol", StepProtocol.values(), TrainConfig::stepProtocol),
                key("compute.backend", Backend.values(), TrainConfig::backend),
                key("compute.precision", Precision.values(), TrainConfig::computePrecision));
    }

    private static TrainConfig of(List<String> with, String set) {
        List<String> sets = new ArrayList<>(with);
        sets.add(set);
        return TrainConfig.from(ConfigLoader.load(null, sets));
    }

    @ParameterizedTest
    @MethodSource("keys")
    <E> void everySpellingParsesInAnyCase(Key<E> k) {
        for (E e : k.values()) {
            String s = k.spelling().apply(e);
            for (String written : List.of(s, s.toUpperCase(Locale.ROOT), s.toLowerCase(Locale.ROOT))) {
                assertEquals(e, k.read().apply(of(k.with(), k.key() + "=" + written)), k.key() + " = " + written);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("keys")
    <E> void anotherValueFailsNamingTheKeyAndListingTheSpellings(Key<E> k) {
        List<String> listed = new ArrayList<>();
        if (k.listedFirst() != null) {
            listed.add(k.listedFirst());
        }
        Arrays.stream(k.values()).map(k.spelling()).forEach(listed::add);
        UserError e = assertThrows(UserError.class, () -> of(k.with(), k.key() + "=bogus"));
        assertEquals(k.key() + ": unknown 'bogus', expected one of " + listed + k.orElse(), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("keys")
    <E> void everySpellingIsDocumentedBesideItsKey(Key<E> k) throws IOException {
        if (!k.documented()) {
            return; // spark.storage-level refers to Spark's StorageLevel names
        }
        String doc = commentAbove(k.key());
        for (E e : k.values()) {
            String s = k.spelling().apply(e);
            assertTrue(Pattern.compile("(?<![\\w-])" + Pattern.quote(s) + "(?![\\w-])").matcher(doc).find(),
                    k.key() + ": reference.conf does not list " + s + " in: " + doc);
        }
    }

    @Test
    void autoMeansTheLossesOutputAndTheActivationsInit() {
        for (Loss loss : Loss.values()) {
            assertEquals(loss.output(), of(List.of(), "model.loss=" + loss.configName).output(), loss.configName);
        }
        for (Activation a : Activation.values()) {
            TrainConfig t = of(List.of(), "model.activation=" + a.configName);
            assertEquals(a.defaultInit(), t.init(), a.configName);
            assertEquals(a == Activation.RELU || a == Activation.LEAKY_RELU ? Init.HE : Init.XAVIER, t.init(),
                    a.configName + ": he for rectifiers, xavier for the others");
        }
    }

    /** The comment lines right above {@code section.leaf = ...} in reference.conf, joined. */
    private static String commentAbove(String key) throws IOException {
        String section = key.substring(0, key.indexOf('.'));
        String leaf = key.substring(key.indexOf('.') + 1);
        String text;
        try (InputStream in = ConfigChoicesTest.class.getClassLoader().getResourceAsStream("reference.conf")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n");
        boolean inSection = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.equals(section + " {")) {
                inSection = true;
            } else if (inSection && line.startsWith(leaf + " =")) {
                StringBuilder doc = new StringBuilder();
                for (int j = i - 1; j >= 0 && lines[j].strip().startsWith("#"); j--) {
                    doc.insert(0, lines[j].strip().substring(1) + " ");
                }
                return doc.toString();
            } else if (line.equals("}")) {
                inSection = false;
            }
        }
        throw new AssertionError(key + " not found in reference.conf");
    }
}
