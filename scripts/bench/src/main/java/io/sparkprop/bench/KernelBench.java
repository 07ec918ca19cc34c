// JMH: forward+backward of 784-256-128-10 per backend, batch and precision, and plain dgemm/sgemm of a similar size.
package io.sparkprop.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.kernel.Gemm;
import io.sparkprop.trainer.nn.Batch;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Objective;
import io.sparkprop.trainer.nn.Workspace;

/**
 * One thread, one kernel (as one in-process worker or one Spark task runs). Scores are calls per second;
 * {@link KernelReport} turns them into GFLOP/s with {@link Models#fwdBwdFlops}. The dgemm benchmarks multiply
 * (256 × 784) · (784 × 256) — layer 1 of the network at batch 256 — through the same {@link Gemm} seam, so
 * "blas" is the machine's native dgemm rate and "ojalgo" ojAlgo's own; sgemm is the same product in float,
 * the yardstick of the float32 path (compute.precision = float32). The float32 call is the one a training
 * thread or Spark task makes: θ as floats (the in-process engine rounds it once per step for all its threads,
 * a Spark task receives floats) and the float partial left for the caller, which widens it while adding it to
 * the other partials (where the float64 path adds its partials too).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class KernelBench {

    @State(Scope.Thread)
    public static class FwdBwd {
        @Param({"blas", "ojalgo"})
        public String backend;
        @Param({"64", "256", "1024"})
        public int batch;
        @Param({"float64", "float32"})
        public String precision;

        Network net;
        double[] params;
        float[] paramsF;
        double[] grad;
        Workspace ws;
        Batch b;

        @Setup
        public void setup() {
            net = Models.mlp(Models.FASHION).withFloat32(precision.equals("float32"));
            params = Models.params(net, 1);
            paramsF = new float[params.length];
            for (int i = 0; i < params.length; i++) paramsF[i] = (float) params[i];
            grad = new double[params.length];
            ws = net.newWorkspace(Backend.valueOf(backend.toUpperCase(Locale.ROOT)).gemm());
            Dataset d = Models.synthetic(batch, 784, 10, 2);
            // Under float32 the trainer keeps its features as floats (PreparedData, Spark's blocks), so the
            // kernel gathers floats, as it does in training.
            if (net.float32) d = d.toFloat32();
            b = new Batch().set(d, null, 0, batch).training(true, 0);
        }
    }

    @State(Scope.Thread)
    public static class Dgemm {
        @Param({"blas", "ojalgo"})
        public String backend;

        static final int M = 256;
        static final int N = 256;
        static final int K = 784;
        Gemm gemm;
        double[] a;
        double[] b;
        double[] c;

        @Setup
        public void setup() {
            gemm = Backend.valueOf(backend.toUpperCase(Locale.ROOT)).gemm();
            a = new double[M * K];
            b = new double[K * N];
            c = new double[M * N];
            Arrays.setAll(a, i -> (i % 17) * 0.01);
            Arrays.setAll(b, i -> (i % 13) * 0.02);
        }
    }

    @State(Scope.Thread)
    public static class Sgemm {
        @Param({"blas", "ojalgo"})
        public String backend;

        Gemm gemm;
        float[] a;
        float[] b;
        float[] c;

        @Setup
        public void setup() {
            gemm = Backend.valueOf(backend.toUpperCase(Locale.ROOT)).gemm();
            a = new float[Dgemm.M * Dgemm.K];
            b = new float[Dgemm.K * Dgemm.N];
            c = new float[Dgemm.M * Dgemm.N];
            for (int i = 0; i < a.length; i++) a[i] = (i % 17) * 0.01f;
            for (int i = 0; i < b.length; i++) b[i] = (i % 13) * 0.02f;
        }
    }

    @Benchmark
    public float[] sgemm(Sgemm s) {
        s.gemm.gemm(false, false, Dgemm.M, Dgemm.N, Dgemm.K, s.a, 0, s.b, 0, 0.0f, s.c, 0);
        return s.c;
    }

    @Benchmark
    public double fwdBwd(FwdBwd s) {
        if (s.net.float32) {
            return Objective.lossAndFloatGradient(s.net, s.paramsF, s.b, s.ws);
        }
        return Objective.lossAndGradient(s.net, s.params, s.b, s.ws, s.grad);
    }

    @Benchmark
    public double[] dgemm(Dgemm s) {
        s.gemm.gemm(false, false, Dgemm.M, Dgemm.N, Dgemm.K, s.a, 0, s.b, 0, 0.0, s.c, 0);
        return s.c;
    }
}
