// A JVM whose netlib is pointed at a library that does not exist runs the OpenBLAS bundled in the jar, says so,
// computes the same products as ojAlgo (to rounding), and refuses compute.backend = blas-system.
package io.sparkprop.trainer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.UserError;

class BundledBlasTest {
    static final String MISSING = "libsparkprop-missing.so.3";

    /** Run in a fresh JVM (netlib binds once per JVM): backend, kernel, max |blas − ojAlgo|, the pinned error. */
    public static void main(String[] args) {
        Gemm g = Backend.valueOf(args[0]).gemm();
        int m = 37, n = 23, k = 300;
        Random r = new Random(7);
        double[] a = r.doubles(5 + (long) m * k).toArray();
        double[] b = r.doubles(3 + (long) k * n).toArray();
        double[] c1 = new double[2 + m * n];
        double[] c2 = new double[2 + m * n];
        g.gemm(false, true, m, n, k, a, 5, b, 3, 0.0, c1, 2);
        new OjAlgoGemm().gemm(false, true, m, n, k, a, 5, b, 3, 0.0, c2, 2);
        double diff = 0;
        for (int i = 0; i < c1.length; i++) {
            diff = Math.max(diff, Math.abs(c1[i] - c2[i]));
        }
        System.out.println(g.name());
        System.out.println(g.kernel());
        System.out.println(diff);
        try {
            Backend.BLAS_SYSTEM.gemm();
            System.out.println("blas-system accepted");
        } catch (UserError e) {
            System.out.println(e.getMessage());
        }
    }

    static List<String> child(String backend) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Ddev.ludovic.netlib.blas.nativeLib=" + MISSING, "-cp",
                System.getProperty("java.class.path"), BundledBlasTest.class.getName(), backend)
                .redirectErrorStream(true);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertFalse(output.contains("Failed to load implementation"), output);
        List<String> lines = output.strip().lines().toList();
        assertEquals(4, lines.size(), output);
        return lines;
    }

    @Test
    void withoutASystemBlasAutoRunsTheBundledOpenBlas() throws Exception {
        List<String> out = child("AUTO");
        if (!NativeLibrary.bundledAvailable()) {
            assertEquals("ojalgo", out.get(0), "no OpenBLAS is bundled for " + NativeLibrary.platform());
            return;
        }
        assertEquals("blas-bundled", out.get(0), String.join("\n", out));
        assertTrue(out.get(1).startsWith("blas-bundled OpenBLAS 0.") && out.get(1).contains("(bundled) on "),
                out.get(1));
        assertTrue(Double.parseDouble(out.get(2)) < 1e-9, "bundled dgemm vs ojAlgo: " + out.get(2));
        assertTrue(out.get(3).startsWith("compute.backend = blas-system: this JVM runs blas-bundled")
                && out.get(3).endsWith("no system BLAS found (netlib opens " + MISSING + ")"), out.get(3));
    }

    @Test
    void blasBundledPinsTheBundledLibrary() throws Exception {
        if (!NativeLibrary.bundledAvailable()) {
            List<String> out;
            try {
                out = child("BLAS_BUNDLED");
            } catch (AssertionError e) {
                assertTrue(e.getMessage().contains("carries no OpenBLAS for"), e.getMessage());
                return;
            }
            throw new AssertionError("blas-bundled ran without a bundled library: " + out);
        }
        List<String> out = child("BLAS_BUNDLED");
        assertEquals("blas-bundled", out.get(0), String.join("\n", out));
        assertTrue(Double.parseDouble(out.get(2)) < 1e-9, out.get(2));
    }
}
