// Everything a run needs to continue bit-exactly: weights, optimizer state, position, early-stopping record.
package io.sparkprop.trainer.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.sparkprop.trainer.model.ModelIO;

/**
 * A checkpoint's content. Random state needs no field: every draw derives from (seed, epoch, step), which
 * the config hash pins. Encoded as little-endian binary with a trailing sha256, never Java serialization:
 * <pre>
 *   magic "SPCK1" · configHash (utf-8, length-prefixed) · nextEpoch · globalStep · bestEpoch · stale
 *   · bestMetric · params · optimizerState · bestParams (length-prefixed double arrays) · sha256(all before)
 * </pre>
 */
public final class TrainState {
    private static final byte[] MAGIC = "SPCK1".getBytes(StandardCharsets.US_ASCII);

    public final String configHash;
    /** The first epoch not yet trained (0-based). */
    public int nextEpoch;
    public long globalStep;
    public double[] params;
    public double[] optimizerState;
    /** Early stopping: the best validation metric so far, its epoch (−1: none yet), epochs since. */
    public double bestMetric = Double.NEGATIVE_INFINITY;
    public int bestEpoch = -1;
    public int stale;
    public double[] bestParams;

    public TrainState(String configHash, double[] params, double[] optimizerState) {
        this.configHash = configHash;
        this.params = params;
        this.optimizerState = optimizerState;
        this.bestParams = new double[0];
    }

    /**
     * A copy to encode later while training goes on: θ is copied (training writes it in place); the other arrays
     * are shared, since the loop replaces them between epochs and never writes into them.
     */
    public TrainState snapshot() {
        TrainState s = new TrainState(configHash, params.clone(), optimizerState);
        s.nextEpoch = nextEpoch;
        s.globalStep = globalStep;
        s.bestMetric = bestMetric;
        s.bestEpoch = bestEpoch;
        s.stale = stale;
        s.bestParams = bestParams;
        return s;
    }

    public byte[] encode() {
        byte[] hash = configHash.getBytes(StandardCharsets.UTF_8);
        int size = MAGIC.length + 4 + hash.length + 4 + 8 + 4 + 4 + 8
                + 3 * 4 + 8 * (params.length + optimizerState.length + bestParams.length) + 32;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(hash.length).put(hash);
        b.putInt(nextEpoch).putLong(globalStep).putInt(bestEpoch).putInt(stale).putDouble(bestMetric);
        for (double[] v : new double[][] {params, optimizerState, bestParams}) {
            b.putInt(v.length);
            for (double x : v) b.putDouble(x);
        }
        byte[] digest = ModelIO.sha256Bytes(Arrays.copyOf(b.array(), b.position()));
        b.put(digest);
        return b.array();
    }

    /** Decodes a checkpoint; throws IllegalArgumentException when it is truncated or its checksum fails. */
    public static TrainState decode(byte[] bytes) {
        if (bytes.length < MAGIC.length + 32
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("not a sparkprop checkpoint");
        }
        byte[] body = Arrays.copyOf(bytes, bytes.length - 32);
        if (!Arrays.equals(ModelIO.sha256Bytes(body), Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length))) {
            throw new IllegalArgumentException("checkpoint checksum mismatch (truncated or corrupt)");
        }
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        b.position(MAGIC.length);
        byte[] hash = new byte[b.getInt()];
        b.get(hash);
        TrainState s = new TrainState(new String(hash, StandardCharsets.UTF_8), null, null);
        s.nextEpoch = b.getInt();
        s.globalStep = b.getLong();
        s.bestEpoch = b.getInt();
        s.stale = b.getInt();
        s.bestMetric = b.getDouble();
        s.params = readArray(b);
        s.optimizerState = readArray(b);
        s.bestParams = readArray(b);
        return s;
    }

    private static double[] readArray(ByteBuffer b) {
        double[] v = new double[b.getInt()];
        for (int i = 0; i < v.length; i++) v[i] = b.getDouble();
        return v;
    }
}
