// Which GEMM kernel each partition's executor runs, asked once per run by a short job over the cached training
// blocks (so on the executors that hold them): for the first progress line, summary.json and a warning when the
// executors disagree, since different kernels round differently.
package io.sparkprop.spark.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.kernel.Gemm;
import io.sparkprop.trainer.kernel.Backend;

/**
 * Each executor chooses its kernel once per JVM (compute.backend = auto: the system's BLAS, else the bundled
 * OpenBLAS, else ojAlgo), and the partition's task uses that choice, so one probe task per partition, placed like
 * the training tasks by the cached blocks, sees what they run. A pinned backend that an executor cannot run fails
 * the run here with the executor's reason.
 */
final class KernelCensus {
    /** Partition → backend name ("blas-bundled", ...) and → kernel (backend, library, CPU). */
    private final String[] names;
    private final String[] kernels;

    KernelCensus(String[] names, String[] kernels) {
        this.names = names;
        this.kernels = kernels;
    }

    /** One probe task per partition of {@code train} (the cached training blocks). */
    static <T> KernelCensus take(JavaRDD<T> train, Backend backend) {
        List<String> rows = train.mapPartitionsWithIndex(new Probe<T>(backend), true).collect();
        int p = train.getNumPartitions();
        String[] names = new String[p];
        String[] kernels = new String[p];
        for (String row : rows) {
            String[] f = row.split("\t", 4);
            int i = Integer.parseInt(f[0]);
            if (f[1].equals("error")) {
                throw new UserError(f[3] + " (executor " + f[2] + ", partition " + i + ")");
            }
            names[i] = f[1];
            kernels[i] = f[3];
        }
        return new KernelCensus(names, kernels);
    }

    /** "blas-bundled", or "blas-bundled on partitions 0-1, blas-system on 2-3" when they differ. */
    String backend() {
        Map<String, List<Integer>> by = group(names);
        if (by.size() == 1) {
            return by.keySet().iterator().next();
        }
        List<String> parts = new ArrayList<>();
        by.forEach((name, ps) -> parts.add(name + " on partitions " + ps));
        return String.join(", ", parts);
    }

    /** The mixed-kernel warning, or null when every partition runs the same kernel. */
    String warning() {
        Map<String, List<Integer>> by = group(kernels);
        if (by.size() == 1) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        by.forEach((kernel, ps) -> parts.add("[" + kernel + "] on partitions " + ps));
        return "the tasks run " + by.size() + " different GEMM kernels, which round differently, so"
                + " weights_sha256 depends on which executor runs which partition: " + String.join("; ", parts)
                + ". Pin compute.backend (and OPENBLAS_CORETYPE) to one kernel for bitwise reproducible runs.";
    }

    /** summary.json: gemm_kernels (kernel → partitions), and gemm_kernel_warning when they differ. */
    Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gemm_kernels", group(kernels));
        String w = warning();
        if (w != null) {
            m.put("gemm_kernel_warning", w);
        }
        return m;
    }

    private static Map<String, List<Integer>> group(String[] byPartition) {
        Map<String, List<Integer>> by = new TreeMap<>();
        for (int i = 0; i < byPartition.length; i++) {
            by.computeIfAbsent(byPartition[i], k -> new ArrayList<>()).add(i);
        }
        return by;
    }

    /** partition \t backend \t executor \t kernel (or: partition \t error \t executor \t message). */
    private static final class Probe<T> implements Function2<Integer, Iterator<T>, Iterator<String>> {
        private static final long serialVersionUID = 1L;
        private final Backend backend;

        Probe(Backend backend) {
            this.backend = backend;
        }

        @Override
        public Iterator<String> call(Integer partition, Iterator<T> blocks) {
            String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
            try {
                Gemm g = backend.gemm();
                return List.of(partition + "\t" + g.name() + "\t" + executor + "\t" + g.kernel()).iterator();
            } catch (UserError e) {
                return List.of(partition + "\terror\t" + executor + "\t" + e.getMessage()).iterator();
            }
        }
    }
}
