// `sparkprop export`: a saved model as a file other runtimes serve (ONNX), written whole or not at all.
package io.sparkprop.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.export.OnnxDtype;
import io.sparkprop.trainer.export.OnnxExport;
import io.sparkprop.trainer.export.OutputUnit;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.model.ModelIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a saved model as ONNX: input 'features' (N x F); outputs 'probabilities' and 'label'"
                + " (classifiers) or 'values' (regression).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (OUT/model).")
    Path modelDir;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT",
            description = "Export format: onnx (the only one). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "File to write, e.g. model.onnx.")
    Path output;

    @Option(names = "--dtype", defaultValue = "float32", paramLabel = "TYPE",
            description = "Element type of input, weights and outputs: float32 | float64. Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = "--verbose", description = "Print stack traces.")
    boolean verbose;

    @Override
    public Integer call() {
        if (!format.strip().equalsIgnoreCase("onnx")) {
            throw new UserError("--format " + format + ": expected onnx");
        }
        OnnxDtype type;
        try {
            type = OnnxDtype.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new UserError("--dtype " + e.getMessage());
        }
        if (Files.isDirectory(output)) {
            throw new UserError("--output " + output + " is a directory; give a file name such as model.onnx");
        }
        Model m = ModelIO.load(modelDir);
        if (inside(output, modelDir)) {
            throw new UserError("--output " + output + ": inside the model directory " + modelDir + ", whose files"
                    + " it could overwrite; write the ONNX file elsewhere, e.g. next to it");
        }
        try {
            OnnxExport.write(m, type, output);
        } catch (UncheckedIOException e) {
            throw new UserError("--output " + output + ": " + e.getMessage(), e);
        }
        OutputUnit unit = OutputUnit.of(m);
        System.err.println("wrote " + output + " (ONNX opset " + OnnxExport.OPSET + ", " + type.id() + "): input "
                + OnnxExport.INPUT + " [N, " + m.features() + "], output " + unit.outputName
                + (unit.hasLabel ? " and " + OnnxExport.LABEL : ""));
        return 0;
    }

    /** True when {@code file} is {@code dir} or below it, links resolved (the model was loaded, so dir exists). */
    static boolean inside(Path file, Path dir) {
        try {
            Path d = dir.toRealPath();
            Path f = file.toAbsolutePath().normalize();
            Path parent = f.getParent();
            Path real = parent != null && Files.exists(parent) ? parent.toRealPath().resolve(f.getFileName()) : f;
            return real.startsWith(d);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
