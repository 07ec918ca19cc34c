// spark.protocol = barrier: one barrier task per partition runs epoch after epoch, trading partial sums for θ.
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
 * driver's optimizer step, until the driver says stop (at the end of an epoch, or of several when nothing needs
 * a Spark job in between). Barrier mode is what starts all partitions' tasks together (they wait on each other
 * every step) and kills them together when one fails. It returns nothing: the driver's {@link StepExchange}
 * has seen every step.
 */
final class BarrierTask extends AbstractFunction1<Iterator<Block>, Iterator<double[]>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final long[] token;
    /** The driver's number for this run of epochs ({@link StepServer#open}). */
    private final int run;
    private final Network net;
    private final BatchPlan plan;
    private final String runId;
    private final String backend;
    /** The driver's attempt (0 first): a newer one makes the driver restart the epoch in progress. */
    private final int attempt;
    private final int[] failFirstAttempt;

    BarrierTask(String host, int port, long[] token, int run, Network net, BatchPlan plan, String runId,
                String backend, int attempt, int[] failFirstAttempt) {
        this.host = host;
        this.port = port;
        this.token = token;
        this.run = run;
        this.net = net;
        this.plan = plan;
        this.runId = runId;
        this.backend = backend;
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
        try (SocketChannel ch = SocketChannel.open()) {
            ch.socket().setTcpNoDelay(true);
            ch.socket().connect(new InetSocketAddress(host, port), 60_000);
            ByteBuffer buf = StepServer.Wire.buffer(p + 2);
            StepServer.Wire.hello(ch, buf, token, run, attempt, block.partition);
            int epoch = StepServer.Wire.receiveHead(ch, buf);
            if (epoch < 0) {
                throw new IllegalStateException("the driver turned attempt " + (attempt + 1) + " away");
            }
            StepServer.Wire.receiveRest(ch, buf, params);
            // Epoch after epoch, until the driver says stop (end of the run, or a non-finite loss).
            for (int step = 0; ; ) {
                failIfAsked(epoch, step, block.partition);
                worker.lossAndGradient(block, data, params, epoch, step, mine);
                StepServer.Wire.send(ch, buf, epoch, step, mine, p + 2);
                if (StepServer.Wire.receiveHead(ch, buf) != 1) {
                    break;
                }
                StepServer.Wire.receiveRest(ch, buf, params);
                if (++step == plan.stepsPerEpoch()) {
                    step = 0;
                    epoch++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("partition " + block.partition + " lost the driver's step server at "
                    + host + ":" + port, e);
        }
        return scala.collection.Iterator$.MODULE$.empty();
    }

    /** Test hook: the first attempt fails at (epoch, step, partition); the retry runs the epoch again. */
    private void failIfAsked(int epoch, int step, int partition) {
        int[] f = failFirstAttempt;
        if (f != null && f[0] == epoch && f[1] == step && f[2] == partition && attempt == 0) {
            throw new IllegalStateException("injected failure of the first attempt (test hook)");
        }
    }
}
