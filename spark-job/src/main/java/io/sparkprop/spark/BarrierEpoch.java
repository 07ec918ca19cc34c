// spark.protocol = barrier: one barrier task per partition runs a whole epoch, trading partial sums for θ.
package io.sparkprop.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.train.BatchPlan;

import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * The task side of {@link StepServer}: per step it computes its block's Σ loss and Σ gradient (the same
 * {@link PartitionWorker} call as the driver protocol), sends them to the driver, and waits for θ after the
 * driver's optimizer step. Barrier mode is what starts all partitions' tasks together (they wait on each other
 * every step) and kills them together when one fails. Returns {compute ms, wait ms, partition, steps}.
 */
final class BarrierEpoch extends AbstractFunction1<Iterator<Block>, Iterator<double[]>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final long[] token;
    private final Network net;
    private final BatchPlan plan;
    private final String runId;
    private final String backend;
    private final int epoch;
    /** The driver's attempt at this epoch (0 first): a newer one makes the driver restart the epoch. */
    private final int attempt;
    private final int[] failFirstAttempt;

    BarrierEpoch(String host, int port, long[] token, Network net, BatchPlan plan, String runId, String backend,
                 int epoch, int attempt, int[] failFirstAttempt) {
        this.host = host;
        this.port = port;
        this.token = token;
        this.net = net;
        this.plan = plan;
        this.runId = runId;
        this.backend = backend;
        this.epoch = epoch;
        this.attempt = attempt;
        this.failFirstAttempt = failFirstAttempt;
    }

    @Override
    public Iterator<double[]> apply(Iterator<Block> blocks) {
        Block block = blocks.next();
        int p = net.paramCount();
        PartitionWorker worker = PartitionWorker.get(runId, block.partition, net, plan, backend);
        double[] params = new double[p];
        // Σ gradient, Σ loss, compute ms: one buffer for all steps (a fresh 2 MB array per step costs GC time).
        double[] mine = new double[p + 2];
        var data = block.asDataset(null);
        double computeMs = 0;
        double waitMs = 0;
        int taken = 0;
        try (SocketChannel ch = SocketChannel.open()) {
            ch.socket().setTcpNoDelay(true);
            ch.socket().connect(new InetSocketAddress(host, port), 60_000);
            ByteBuffer buf = StepServer.Wire.buffer(p + 1);
            StepServer.Wire.hello(ch, buf, token, epoch, attempt, block.partition);
            if (StepServer.Wire.receiveHead(ch, buf) != 1) {
                throw new IllegalStateException("the driver refused epoch " + (epoch + 1));
            }
            StepServer.Wire.receiveRest(ch, buf, params);
            while (taken < plan.stepsPerEpoch()) {
                int step = taken++;
                failIfAsked(block.partition, step);
                worker.lossAndGradient(block, data, params, epoch, step, mine);
                computeMs += mine[p + 1];
                long t0 = System.nanoTime();
                StepServer.Wire.send(ch, buf, step, mine, p + 1);
                int go = StepServer.Wire.receiveHead(ch, buf);
                if (go == 1) {
                    StepServer.Wire.receiveRest(ch, buf, params);
                }
                waitMs += (System.nanoTime() - t0) / 1e6;
                if (go != 1) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("partition " + block.partition + " lost the driver's step server at "
                    + host + ":" + port + " in epoch " + (epoch + 1), e);
        }
        return scala.collection.Iterator$.MODULE$.single(new double[] {computeMs, waitMs, block.partition, taken});
    }

    /** Test hook: the first attempt fails at (epoch, step, partition); the retry runs the epoch again. */
    private void failIfAsked(int partition, int step) {
        int[] f = failFirstAttempt;
        if (f != null && f[0] == epoch && f[1] == step && f[2] == partition && attempt == 0) {
            throw new IllegalStateException("injected failure of the first attempt (test hook)");
        }
    }
}
