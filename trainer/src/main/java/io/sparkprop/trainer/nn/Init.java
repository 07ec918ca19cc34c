// Seeded weight initialisation: Xavier/Glorot for saturating units, He/Kaiming for rectifiers, the tutorial's uniform.
package io.sparkprop.trainer.nn;

import java.util.SplittableRandom;

/**
 * xavier and he draw every weight from a scaled normal distribution, biases start at zero; uniform draws
 * every weight and bias from U[0, 1), as the from-scratch backpropagation tutorial does ({@code random()}).
 * Every init starts a batch-norm layer as PyTorch does: γ = 1, β = 0, running mean 0, running variance 1.
 */
public enum Init {
    /** Glorot & Bengio (2010): Var(W) = 2 / (in + out). */
    XAVIER("xavier"),
    /** He et al. (2015): Var(W) = 2 / in, for relu-family layers. */
    HE("he"),
    /** Weights and biases from U[0, 1). */
    UNIFORM("uniform");

    public final String configName;

    Init(String configName) {
        this.configName = configName;
    }

    /** Fills params (laid out by {@code layout}) from the seed; the same seed gives the same weights. */
    public void fill(ParamLayout layout, double[] params, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        if (this == UNIFORM) {
            for (int i = 0; i < layout.size(); i++) params[i] = rnd.nextDouble();
            BatchNorm.initialise(layout, params);
            return;
        }
        for (int l = 0; l < layout.layers(); l++) {
            int in = layout.fanIn(l);
            int out = layout.fanOut(l);
            double std = this == HE ? Math.sqrt(2.0 / in) : Math.sqrt(2.0 / (in + out));
            int w = layout.wOffset(l);
            for (int i = 0; i < layout.in(l) * layout.out(l); i++) {
                params[w + i] = std * gaussian(rnd);
            }
            int b = layout.bOffset(l);
            for (int i = 0; i < layout.biasSize(l); i++) {
                params[b + i] = 0.0;
            }
        }
        BatchNorm.initialise(layout, params);
    }

    /** Box–Muller; SplittableRandom has no nextGaussian on Java 17's interface that is stable across versions. */
    private static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
