// Shared fixtures of the benchmarks: the 784-256-128-10 network, synthetic rows, FLOP counts.
package io.sparkprop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;

final class Models {
    private Models() {
    }

    /** The benchmark network: relu, softmax cross-entropy, no dropout. */
    static Network mlp(int... sizes) {
        return new Network(sizes, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY, 0.0);
    }

    static final int[] FASHION = {784, 256, 128, 10};

    static double[] params(Network net, long seed) {
        double[] p = new double[net.paramCount()];
        Init.HE.fill(net.layout(), p, seed);
        return p;
    }

    /** rows × features uniform in [0, 1), labels uniform over classes; column-major like every Dataset. */
    static Dataset synthetic(int rows, int features, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[Math.multiplyExact(rows, features)];
        double[] y = new double[rows];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble();
        for (int i = 0; i < rows; i++) y[i] = r.nextInt(classes);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) names.add("c" + c);
        return new Dataset(rows, features, 1, x, y, names);
    }

    /**
     * Floating-point operations of one forward+backward pass over n rows, counting the matrix products only
     * (2 per multiply-add): forward W·a, backward dW = δ·aᵀ for every layer and Wᵀ·δ for all but the first.
     */
    static double fwdBwdFlops(int[] sizes, int n) {
        double f = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            double mk = 2.0 * sizes[l] * sizes[l + 1] * n;
            f += l == 0 ? 2 * mk : 3 * mk;
        }
        return f;
    }
}
