// Runs KernelBench through JMH's API and prints GFLOP/s next to the dgemm (sgemm for float32) rate of the same run.
package io.sparkprop.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Usage: KernelReport [--quick]. Prints one line per (benchmark, backend, batch) with GFLOP/s, then
 * {@code kernel <backend> batch <n> gflops=<x> dgemm=<y> ratio=<x/y>} lines and
 * {@code ratio kernel-vs-dgemm=<blas fwd+bwd at 256 ÷ native dgemm>}, and for the float32 path
 * {@code ratio kernel-vs-sgemm=<blas float32 fwd+bwd at 256 ÷ native sgemm>}.
 */
public final class KernelReport {
    private KernelReport() {
    }

    private static double best(RunResult r) {
        double b = 0;
        for (var br : r.getBenchmarkResults()) {
            for (var ir : br.getIterationResults()) b = Math.max(b, ir.getPrimaryResult().getScore());
        }
        return b > 0 ? b : r.getPrimaryResult().getScore();
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        ChainedOptionsBuilder o = new OptionsBuilder().include(KernelBench.class.getName() + ".*")
                .shouldDoGC(true);
        if (quick) {
            o.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(6).measurementTime(TimeValue.milliseconds(500));
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        Map<String, Double> dgemm = new LinkedHashMap<>();
        Map<String, Double> sgemm = new LinkedHashMap<>();
        Map<String, double[]> fb = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String backend = r.getParams().getParam("backend");
            // The best iteration, not the mean: other work shares the cores, and interference only slows down.
            double score = best(r);
            double err = r.getPrimaryResult().getScoreError();
            if (name.endsWith(".sgemm")) {
                double flops = 2.0 * KernelBench.Dgemm.M * KernelBench.Dgemm.N * KernelBench.Dgemm.K;
                sgemm.put(backend, score * flops / 1e9);
                System.out.printf("sgemm %s 256x784x256 gflops=%.2f (mean ±%.2f)%n", backend, score * flops / 1e9,
                        Double.isNaN(err) ? 0 : err * flops / 1e9);
            } else if (name.endsWith(".dgemm")) {
                double flops = 2.0 * KernelBench.Dgemm.M * KernelBench.Dgemm.N * KernelBench.Dgemm.K;
                dgemm.put(backend, score * flops / 1e9);
                System.out.printf("dgemm %s 256x784x256 gflops=%.2f (mean ±%.2f)%n", backend, score * flops / 1e9,
                        Double.isNaN(err) ? 0 : err * flops / 1e9);
            } else {
                int batch = Integer.parseInt(r.getParams().getParam("batch"));
                double flops = Models.fwdBwdFlops(Models.FASHION, batch);
                String precision = r.getParams().getParam("precision");
                fb.put(backend + "/" + batch + "/" + precision, new double[] {batch, score * flops / 1e9,
                        Double.isNaN(err) ? 0 : err * flops / 1e9});
            }
        }
        for (Map.Entry<String, double[]> e : fb.entrySet()) {
            String[] key = e.getKey().split("/");
            String backend = key[0];
            boolean f32 = key[2].equals("float32");
            double[] v = e.getValue();
            Map<String, Double> gemm = f32 ? sgemm : dgemm;
            Double own = gemm.get(backend);
            Double nat = gemm.get("blas");
            String g = f32 ? "sgemm" : "dgemm";
            System.out.printf("kernel %s %s batch %d gflops=%.2f (mean ±%.2f) samples/s=%.0f vs-own-" + g + "=%.2f"
                            + " vs-blas-" + g + "=%.2f%n", backend, key[2], (int) v[0], v[1], v[2],
                    v[1] * 1e9 / Models.fwdBwdFlops(Models.FASHION, 1),
                    own == null ? Double.NaN : v[1] / own, nat == null ? Double.NaN : v[1] / nat);
        }
        double[] b256 = fb.get("blas/256/float64");
        if (b256 != null && dgemm.containsKey("blas")) {
            System.out.printf("ratio kernel-vs-dgemm=%.2f%n", b256[1] / dgemm.get("blas"));
        }
        double[] o256 = fb.get("ojalgo/256/float64");
        if (o256 != null && dgemm.containsKey("ojalgo")) {
            System.out.printf("ratio kernel-vs-dgemm-ojalgo=%.2f%n", o256[1] / dgemm.get("ojalgo"));
        }
        double[] s256 = fb.get("blas/256/float32");
        if (s256 != null && sgemm.containsKey("blas")) {
            System.out.printf("ratio kernel-vs-sgemm=%.2f%n", s256[1] / sgemm.get("blas"));
        }
        double[] so256 = fb.get("ojalgo/256/float32");
        if (so256 != null && sgemm.containsKey("ojalgo")) {
            System.out.printf("ratio kernel-vs-sgemm-ojalgo=%.2f%n", so256[1] / sgemm.get("ojalgo"));
        }
    }
}
