// A checkpoint write that fails mid-way (the file-size limit stands in for a full disk) leaves the previous one usable.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.trainer.train.LocalCheckpointStore;

class CheckpointFailureTest {
    @TempDir
    Path tmp;

    /** A wide hidden layer makes a checkpoint (weights + Adam moments ≈ 135 kB) larger than the 64 kB limit. */
    static final String[] RUN = {"--config", Cli.conf("default.conf"), "--set", "model.hidden=[512]"};

    @Test
    void aFailedWriteIsOneLineAndThePreviousCheckpointSurvives() throws Exception {
        Path out = tmp.resolve("run");
        List<String> first = new ArrayList<>(List.of("train"));
        first.addAll(List.of(RUN));
        first.addAll(List.of("--set", "train.epochs=2", "--out", out.toString()));
        assertEquals(0, Cli.run(first.toArray(new String[0])).exit());

        // The same JVM classpath in a child process whose files may not grow past 64 kB (ulimit -f): the JVM
        // ignores SIGXFSZ, so the write fails with "File too large" as it would with ENOSPC.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.sparkprop.cli.Main", "train"));
        cmd.addAll(List.of(RUN));
        cmd.addAll(List.of("--set", "train.epochs=4", "--resume", "--out", out.toString()));
        String script = "ulimit -f 64; exec \"$@\"";
        List<String> bash = new ArrayList<>(List.of("bash", "-c", script, "bash"));
        bash.addAll(cmd);
        Process p = new ProcessBuilder(bash).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), err);
        List<String> errorLines = err.lines().filter(l -> l.startsWith("sparkprop:")).toList();
        assertEquals(1, errorLines.size(), err);
        assertTrue(errorLines.get(0).contains("checkpoint.dir: cannot write the checkpoint after epoch 3"), err);

        Path checkpoints = out.resolve("checkpoints");
        try (Stream<Path> files = Files.list(checkpoints)) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(List.of("checkpoint-000001.bin", "checkpoint-000002.bin"), names,
                    "no partial or temporary checkpoint is visible");
        }
        assertEquals(2, new LocalCheckpointStore(checkpoints).latest().nextEpoch);

        // And the surviving checkpoint resumes once the disk has room again.
        List<String> again = new ArrayList<>(List.of("train"));
        again.addAll(List.of(RUN));
        again.addAll(List.of("--set", "train.epochs=3", "--resume", "--out", out.toString()));
        Cli r = Cli.run(again.toArray(new String[0]));
        assertEquals(0, r.exit(), r.err());
        assertEquals(2, TrainCommandTest.summary(out).getInt("resumed_from_epoch"));
        assertEquals(List.of(3), TrainCommandTest.epochsPrinted(r.err()), "only the epoch after the checkpoint");
    }
}
