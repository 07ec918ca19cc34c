// Runs KernelBench through JMH's API and prints GFLOP/s next to the dgemm rate of the same run.
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
 * {@code ratio kernel-vs-dgemm=<blas fwd+bwd at 256 ÷ native dgemm>}.
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
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        Map<String, Double> dgemm = new LinkedHashMap<>();
        Map<String, double[]> fb = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String backend = r.getParams().getParam("backend");
            // The best iteration, not the mean: other work shares the cores, and interference only slows down.
            double score = best(r);
            double err = r.getPrimaryResult().getScoreError();
            if (name.endsWith(".dgemm")) {
                double flops = 2.0 * KernelBench.Dgemm.M * KernelBench.Dgemm.N * KernelBench.Dgemm.K;
                dgemm.put(backend, score * flops / 1e9);
                System.out.printf("dgemm %s 256x784x256 gflops=%.2f (mean ±%.2f)%n", backend, score * flops / 1e9,
                        Double.isNaN(err) ? 0 : err * flops / 1e9);
            } else {
                int batch = Integer.parseInt(r.getParams().getParam("batch"));
                double flops = Models.fwdBwdFlops(Models.FASHION, batch);
                fb.put(backend + "/" + batch, new double[] {batch, score * flops / 1e9,
                        Double.isNaN(err) ? 0 : err * flops / 1e9});
            }
        }
        for (Map.Entry<String, double[]> e : fb.entrySet()) {
            String backend = e.getKey().split("/")[0];
            double[] v = e.getValue();
            Double own = dgemm.get(backend);
            Double nat = dgemm.get("blas");
            System.out.printf("kernel %s batch %d gflops=%.2f (mean ±%.2f) samples/s=%.0f vs-own-dgemm=%.2f"
                            + " vs-blas-dgemm=%.2f%n", backend, (int) v[0], v[1], v[2],
                    v[1] * 1e9 / Models.fwdBwdFlops(Models.FASHION, 1),
                    own == null ? Double.NaN : v[1] / own, nat == null ? Double.NaN : v[1] / nat);
        }
        double[] b256 = fb.get("blas/256");
        if (b256 != null && dgemm.containsKey("blas")) {
            System.out.printf("ratio kernel-vs-dgemm=%.2f%n", b256[1] / dgemm.get("blas"));
        }
        double[] o256 = fb.get("ojalgo/256");
        if (o256 != null && dgemm.containsKey("ojalgo")) {
            System.out.printf("ratio kernel-vs-dgemm-ojalgo=%.2f%n", o256[1] / dgemm.get("ojalgo"));
        }
    }
}
