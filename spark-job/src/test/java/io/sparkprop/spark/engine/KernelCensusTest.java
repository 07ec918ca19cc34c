// The kernels the executors report: one name when they agree, the partitions of each and a warning when not.
package io.sparkprop.spark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.kernel.Backend;

class KernelCensusTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[2]", "sparkprop-test", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void everyPartitionReportsTheKernelThisJvmRuns() {
        KernelCensus c = KernelCensus.take(sc.parallelize(List.of(1, 2, 3, 4), 4), Backend.AUTO);
        assertEquals(Backend.AUTO.gemm().name(), c.backend());
        assertNull(c.warning());
        Map<String, Object> s = c.summary();
        assertEquals(Map.of(Backend.AUTO.gemm().kernel(), List.of(0, 1, 2, 3)), s.get("gemm_kernels"));
        assertEquals(1, s.size(), s.toString());
    }

    @Test
    void differentKernelsAreListedWithTheirPartitionsAndWarnedAbout() {
        String bundled = "blas-bundled OpenBLAS 0.3.31 (bundled) on CPU A";
        String coretype = "blas-bundled OpenBLAS 0.3.31 (bundled) on CPU A, OPENBLAS_CORETYPE=Haswell";
        String system = "blas-system /usr/lib/libblas.so.3 on CPU A";
        KernelCensus c = new KernelCensus(new String[] {"blas-bundled", "blas-bundled", "blas-system"},
                new String[] {bundled, coretype, system});
        assertEquals("blas-bundled on partitions [0, 1], blas-system on partitions [2]", c.backend());
        String w = c.warning();
        assertTrue(w.startsWith("the tasks run 3 different GEMM kernels"), w);
        assertTrue(w.contains("[" + coretype + "] on partitions [1]") && w.contains("[" + system + "] on partitions [2]"),
                w);
        assertEquals(w, c.summary().get("gemm_kernel_warning"));

        KernelCensus sameBackend = new KernelCensus(new String[] {"blas-bundled", "blas-bundled"},
                new String[] {bundled, coretype});
        assertEquals("blas-bundled", sameBackend.backend(), "one backend name, yet two kernels");
        assertTrue(sameBackend.warning().contains("OPENBLAS_CORETYPE=Haswell"), sameBackend.warning());
    }

    @Test
    void aPinnedBackendAnExecutorCannotRunFailsWithItsReason() {
        Backend other = Backend.AUTO.gemm().name().equals("blas-system") ? Backend.BLAS_BUNDLED : Backend.BLAS_SYSTEM;
        UserError e = assertThrows(UserError.class,
                () -> KernelCensus.take(sc.parallelize(List.of(1, 2), 2), other));
        assertTrue(e.getMessage().startsWith("compute.backend = " + other + ": this JVM runs "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(executor driver, partition 0)")
                || e.getMessage().endsWith("(executor driver, partition 1)"), e.getMessage());
    }
}
