// netlib's java.util.logging warnings about implementations it could not load must not reach the user's terminal.
package io.sparkprop.trainer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class QuietBlasTest {
    /** Run in a fresh JVM: netlib loads (and warns) once per JVM, and another test may already have loaded it. */
    public static void main(String[] args) {
        System.out.println(Backend.BLAS.gemm().name() + " " + Backend.AUTO.gemm().name());
    }

    @Test
    void loadingBlasPrintsNoNetlibWarnings() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), QuietBlasTest.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        List<String> lines = output.strip().lines().toList();
        assertEquals(1, lines.size(), output);
        assertTrue(lines.get(0).matches("blas-(system|bundled|java|vector) (blas-system|blas-bundled|ojalgo)"), output);
        assertFalse(output.contains("Failed to load implementation"), output);
    }
}
