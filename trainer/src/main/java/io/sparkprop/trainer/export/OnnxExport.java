// A saved model as one ONNX file: feature scaling, the dense layers with their activations (or the layers of a
// model.layers list, see LayerGraph), the output unit.
package io.sparkprop.trainer.export;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.sparkprop.trainer.config.LayerList;
import io.sparkprop.trainer.io.AtomicFiles;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.model.ModelIO;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.nn.Shape;

/**
 * The graph, with x = features (N × F):
 * <pre>
 *   x' = (x − shift) ⊙ scale               Sub, Mul (left out when the scaling is the identity)
 *   z_l = a_{l−1}·W_lᵀ + b_l                Gemm; W_l (out × in) column-major is W_lᵀ (in × out) row-major
 *   a_l = f(z_l) for hidden layers          Sigmoid | Tanh | Relu | LeakyRelu | nothing for identity
 *   output unit on z_L                      see {@link OutputUnit}; label = ArgMax over the class columns
 * </pre>
 * A layer-list network (model.layers) puts {@link LayerGraph}'s nodes between the scaling and the output unit:
 * the same features (N × F) in, reshaped to [N, c, h, w] where a layer needs it.
 * Scaling is not folded into the first layer: W·((x − s) ⊙ c) and (W·diag c)·x − W·(c ⊙ s) differ in rounding,
 * and the exported graph is meant to reproduce {@code predict}. Only standard operators of the default domain,
 * opset {@value #OPSET}; no ZipMap, class names go into the model's metadata as a JSON array.
 */
public final class OnnxExport {
    public static final int OPSET = 13;
    /** The IR version that introduced opset 13; every runtime that reads opset 13 reads it. */
    public static final int IR_VERSION = 7;
    public static final String INPUT = "features";
    public static final String LABEL = "label";

    private OnnxExport() {
    }

    /** Writes {@code m} as ONNX to {@code target} (temporary name, then rename). */
    public static void write(Model m, OnnxDtype dtype, Path target) {
        byte[] bytes = build(m, dtype).toByteArray();
        AtomicFiles.writeBytes(target, bytes);
    }

    public static ModelProto build(Model m, OnnxDtype dtype) {
        OutputUnit unit = OutputUnit.of(m);
        OnnxGraph g = new OnnxGraph("sparkprop", dtype);
        int features = m.features();
        g.input(INPUT, features);

        String h = INPUT;
        if (!isIdentity(m.shift(), m.scale())) {
            h = g.node("Sub", "centred", h, g.constant("scaling.shift", m.shift(), features));
            h = g.node("Mul", "scaled", h, g.constant("scaling.scale", m.scale(), features));
        }
        if (m.net().isLayerList()) {
            h = LayerGraph.append(g, dtype, m.net().stack, m.params(), h);
        } else {
            h = denseLayers(g, m, dtype, h);
        }

        unit.append(g, h, m.net().outputs());

        ModelProto.Builder mp = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("sparkprop")
                .setProducerVersion("0.1.0")
                .setDocString("sparkprop " + m.net() + ", scaling " + m.scaleKind() + ", " + dtype.id())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g.g);
        metadata(mp, m, unit, dtype);
        return mp.build();
    }

    /** The Gemm and activation of each dense layer of a model.hidden network, from h (N × F) to the logits. */
    private static String denseLayers(OnnxGraph g, Model m, OnnxDtype dtype, String h) {
        ParamLayout layout = m.net().layout();
        double[] params = m.params();
        for (int l = 0; l < layout.layers(); l++) {
            int in = layout.in(l);
            int out = layout.out(l);
            String w = g.constant("W" + (l + 1), Arrays.copyOfRange(params, layout.wOffset(l),
                    layout.wOffset(l) + in * out), in, out);
            String b = g.constant("b" + (l + 1), Arrays.copyOfRange(params, layout.bOffset(l),
                    layout.bOffset(l) + out), out);
            h = g.node("Gemm", "z" + (l + 1), h, w, b);
            if (l < layout.layers() - 1) {
                h = activation(g, m.net().activation, dtype, h, "a" + (l + 1));
            }
        }
        return h;
    }

    /**
     * a = f(z). float64 graphs write leaky-relu as Max(z, 0.01·z), the formula {@code predict} evaluates:
     * LeakyRelu's alpha attribute is a float32, whose 0.01 is off by 2e-10 relative, and ONNX Runtime's CPU
     * provider has no float64 LeakyRelu kernel at all.
     */
    static String activation(OnnxGraph g, Activation f, OnnxDtype dtype, String z, String a) {
        return switch (f) {
            case IDENTITY -> z;
            case SIGMOID -> g.node("Sigmoid", a, z);
            case TANH -> g.node("Tanh", a, z);
            case RELU -> g.node("Relu", a, z);
            case LEAKY_RELU -> dtype == OnnxDtype.FLOAT32
                    ? g.node("LeakyRelu", a, new AttributeProto[] {
                        OnnxGraph.floatAttribute("alpha", (float) Activation.LEAK)}, z)
                    : g.node("Max", a, z, g.node("Mul", a + ".leak", z,
                        constantOnce(g, "leak", Activation.LEAK)));
        };
    }

    private static String constantOnce(OnnxGraph g, String name, double v) {
        boolean present = g.g.getInitializerList().stream().anyMatch(t -> t.getName().equals(name));
        return present ? name : g.constant(name, new double[] {v});
    }

    private static boolean isIdentity(double[] shift, double[] scale) {
        for (int j = 0; j < shift.length; j++) {
            if (shift[j] != 0.0 || scale[j] != 1.0) return false;
        }
        return true;
    }

    /** The model's description as metadata_props; list values are JSON arrays. */
    private static void metadata(ModelProto.Builder mp, Model m, OutputUnit unit, OnnxDtype dtype) {
        List<Object> layers = new ArrayList<>();
        for (int s : m.net().sizes()) layers.add(s);
        if (m.classNames() != null) {
            prop(mp, "classes", json(new ArrayList<>(m.classNames())));
        }
        prop(mp, "layers", json(layers));
        if (m.net().isLayerList()) {
            Shape in = m.net().stack.shape(0);
            prop(mp, "input_shape", json(List.of(in.channels(), in.height(), in.width())));
            prop(mp, "layer_list", json(new ArrayList<>(LayerList.toMaps(m.net().stack.hidden()))));
        }
        prop(mp, "activation", m.net().activation.configName);
        prop(mp, "loss", m.net().loss.configName);
        prop(mp, "output", unit.name().toLowerCase(Locale.ROOT));
        prop(mp, "scaling", m.scaleKind());
        prop(mp, "dtype", dtype.id());
        prop(mp, "weights_sha256", ModelIO.weightsSha256(m.params()));
    }

    private static void prop(ModelProto.Builder mp, String key, String value) {
        mp.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
    }

    private static String json(List<Object> values) {
        return ConfigValueFactory.fromIterable(values).render(ConfigRenderOptions.concise().setJson(true));
    }
}
