// Model files: a directory with model.json (metadata) and weights.bin (raw little-endian float64, sha256-checked).
package io.sparkprop.trainer.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.LayerList;
import io.sparkprop.trainer.io.AtomicFiles;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.nn.Shape;

/**
 * Never Java serialization: model.json is readable and diffable, weights.bin is the flat parameter vector
 * as little-endian doubles in {@link io.sparkprop.trainer.nn.ParamLayout} order. The directory is built under
 * a temporary name and renamed into place, so a reader never sees half a model.
 */
public final class ModelIO {
    public static final String FORMAT = "sparkprop-model/1";
    /**
     * A layer-list network (model.layers): format 1's keys plus {@code input_shape} [c, h, w] and
     * {@code layer_list} (the layers as a config spells them, output layer excluded); {@code layers} holds the
     * values per example at each boundary. Dense networks keep format 1, so older readers still load them. A
     * network with an embedding layer adds {@code categorical}: {@code {slots, cardinalities, names}}, the feature
     * index, number of known categories and column name of each categorical input column (files without it
     * have none).
     */
    public static final String FORMAT_LAYERS = "sparkprop-model/2";

    private ModelIO() {
    }

    public static void save(Model m, Path dir) throws IOException {
        byte[] weights = toBytes(m.params());
        Map<String, Object> meta = new LinkedHashMap<>();
        LayerStack stack = m.net().stack;
        meta.put("format", stack == null ? FORMAT : FORMAT_LAYERS);
        meta.put("layers", toList(m.net().sizes()));
        if (stack != null) {
            Shape in = stack.shape(0);
            meta.put("input_shape", toList(new int[]{in.channels(), in.height(), in.width()}));
            meta.put("layer_list", LayerList.toMaps(stack.hidden()));
            Categorical cats = stack.categorical();
            if (!cats.isEmpty()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("slots", toList(cats.slots()));
                c.put("cardinalities", toList(cats.cardinalities()));
                c.put("names", cats.names());
                meta.put("categorical", c);
            }
        }
        meta.put("activation", m.net().activation.configName);
        meta.put("loss", m.net().loss.configName);
        // Resolved output unit; files written before model.output existed lack it and load as auto.
        meta.put("output", m.net().output.configName);
        meta.put("dropout", m.net().dropout);
        // Trainable parameters, as PyTorch counts them; batch-norm's running statistics travel in weights.bin
        // too (after each layer's γ and β) and are counted apart.
        meta.put("parameters", m.net().trainableCount());
        if (m.net().runningStatisticsCount() > 0) {
            meta.put("running_statistics", m.net().runningStatisticsCount());
        }
        meta.put("weights_sha256", sha256(weights));
        Map<String, Object> scaling = new LinkedHashMap<>();
        scaling.put("kind", m.scaleKind());
        scaling.put("shift", toList(m.shift()));
        scaling.put("scale", toList(m.scale()));
        meta.put("scaling", scaling);
        if (m.classNames() != null) {
            meta.put("classes", m.classNames());
        }
        if (m.header() != null) {
            meta.put("header", m.header());
        }
        meta.put("config", m.config() == null ? "" : m.config());
        String json = ConfigValueFactory.fromMap(meta)
                .render(ConfigRenderOptions.concise().setJson(true).setFormatted(true));

        Path tmp = AtomicFiles.tempSibling(dir.toAbsolutePath());
        try {
            Files.write(tmp.resolve("weights.bin"), weights);
            Files.writeString(tmp.resolve("model.json"), json + "\n");
            AtomicFiles.replaceDirectory(tmp, dir.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteRecursively(tmp);
            throw e;
        }
    }

    public static Model load(Path dir) {
        Path json = dir.resolve("model.json");
        Path bin = dir.resolve("weights.bin");
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such model directory");
        }
        try {
            Config c = ConfigFactory.parseFile(json.toFile(),
                    com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(false));
            String format = c.getString("format");
            if (!FORMAT.equals(format) && !FORMAT_LAYERS.equals(format)) {
                throw new UserError(json + ": format '" + format + "', expected " + FORMAT + " or " + FORMAT_LAYERS);
            }
            byte[] weights = Files.readAllBytes(bin);
            String expected = c.getString("weights_sha256");
            if (!expected.equals(sha256(weights))) {
                throw new UserError(bin + ": checksum mismatch (sha256 differs from model.json); the file is"
                        + " corrupt or was modified");
            }
            int[] sizes = c.getIntList("layers").stream().mapToInt(Integer::intValue).toArray();
            Loss loss = Loss.parse(c.getString("loss"));
            Output output = c.hasPath("output") ? Output.parse(c.getString("output")) : loss.output();
            // A model with classes predicts classes (mse on one-hot targets included); without, values.
            Activation activation = Activation.parse(c.getString("activation"));
            boolean classifier = loss.isClassification() || c.hasPath("classes");
            Network net;
            if (FORMAT_LAYERS.equals(format)) {
                List<Integer> s = c.getIntList("input_shape");
                Categorical cats = !c.hasPath("categorical") ? Categorical.NONE : new Categorical(
                        c.getIntList("categorical.slots").stream().mapToInt(Integer::intValue).toArray(),
                        c.getIntList("categorical.cardinalities").stream().mapToInt(Integer::intValue).toArray(),
                        c.getStringList("categorical.names"));
                LayerStack stack = LayerList.stack(new Shape(s.get(0), s.get(1), s.get(2)),
                        LayerList.read("layer_list", c.getValue("layer_list"), activation), sizes[sizes.length - 1],
                        cats);
                net = new Network(stack, activation, output, loss, classifier, false);
            } else {
                net = new Network(sizes, activation, output, loss, c.getDouble("dropout"), classifier);
            }
            double[] params = fromBytes(weights);
            if (params.length != net.paramCount()) {
                throw new UserError(bin + ": " + params.length + " weights, the layers need " + net.paramCount());
            }
            List<String> classes = c.hasPath("classes") ? new ArrayList<>(c.getStringList("classes")) : null;
            return new Model(net, params, c.getString("scaling.kind"),
                    toArray(c.getDoubleList("scaling.shift")), toArray(c.getDoubleList("scaling.scale")),
                    classes, c.getString("config"), c.hasPath("header") ? c.getStringList("header") : null);
        } catch (NoSuchFileException e) {
            throw new UserError(e.getFile() + ": missing from the model directory");
        } catch (ConfigException e) {
            String m = oneLine(e.getMessage()); // Typesafe Config names the file itself ("path: 1: ...")
            throw new UserError(m.startsWith(json.toString()) ? m : json + ": " + m);
        } catch (IllegalArgumentException e) {
            throw new UserError(json + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UserError(dir + ": cannot read model (" + e.getMessage() + ")");
        }
    }

    public static byte[] toBytes(double[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(v);
        return buf.array();
    }

    public static double[] fromBytes(byte[] bytes) {
        if (bytes.length % Double.BYTES != 0) {
            throw new IllegalArgumentException("weights length " + bytes.length + " is not a multiple of 8");
        }
        double[] v = new double[bytes.length / Double.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
        return v;
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Bytes(bytes));
    }

    public static byte[] sha256Bytes(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** sha256 of the weights as they are written to weights.bin: the run's fingerprint in summary.json. */
    public static String weightsSha256(double[] params) {
        return sha256(toBytes(params));
    }

    private static List<Object> toList(int[] v) {
        List<Object> l = new ArrayList<>();
        for (int x : v) l.add(x);
        return l;
    }

    private static List<Object> toList(double[] v) {
        List<Object> l = new ArrayList<>();
        if (v != null) {
            for (double x : v) l.add(x);
        }
        return l;
    }

    private static double[] toArray(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
