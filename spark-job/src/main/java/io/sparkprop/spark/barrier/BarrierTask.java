// spark.protocol = barrier: one barrier task per partition runs epoch after epoch as a node of the sum tree.
package io.sparkprop.spark.barrier;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;

import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskContext;

import io.sparkprop.spark.exec.Block;
import io.sparkprop.spark.exec.ChunkReads;
import io.sparkprop.spark.exec.ChunkRef;
import io.sparkprop.spark.exec.TrainRows;
import io.sparkprop.spark.exec.FaultHook;
import io.sparkprop.spark.exec.PartialLayout;
import io.sparkprop.spark.exec.PartitionWorker;
import io.sparkprop.spark.infra.SparkCompat;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Overlap;
import io.sparkprop.trainer.train.BatchPlan;

import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * Per step the task computes its block's partial sums (the same {@link PartitionWorker} call as the driver
 * protocol), adds its children's sums and sends S(i) up the {@link TreeNode} — bucket by bucket while the backward
 * pass runs ({@link Upward}), or after it with buckets off — then relays θ after the driver's optimizer step back
 * down, until the driver says stop. From a parent through a socket θ comes down first layer first on a
 * {@link Downward} thread, and the next step starts as soon as its word is in: the forward pass waits for each
 * layer's slice only, the backward pass for all of θ. With validation rows it also sends its validation
 * statistics up the tree after each epoch's last step. Barrier mode is what starts all partitions' tasks
 * together and kills them together when one fails. It returns nothing: the driver has seen every step.
 */
final class BarrierTask extends AbstractFunction1<Iterator<TrainRows[]>, Iterator<double[]>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String driverAddress;
    private final long[] token;
    /** The driver's number for this run of epochs ({@link StepServer#open}). */
    private final int run;
    private final Network net;
    private final BatchPlan plan;
    private final String runId;
    private final Backend backend;
    /** The driver's attempt (0 first): a newer one makes the driver restart the epoch in progress. */
    private final int attempt;
    private final FaultHook faults;
    private final boolean float32;
    /** Whether a task links to a parent in its own JVM in memory ({@link BarrierProtocol#MEMORY_LINKS}). */
    private final boolean memory;
    /** Where this task found its chunks (train.shuffle = chunks), else null. */
    private final ChunkReads reads;
    /** Values per bucket sent up during the backward pass ({@link BarrierProtocol#BUCKET_VALUES}); 0: after it. */
    private final int bucketValues;
    /** Whether the forward pass may start while θ still comes down ({@link BarrierProtocol#EARLY_FORWARD}). */
    private final boolean earlyForward;

    BarrierTask(String driverAddress, long[] token, int run, Network net, BatchPlan plan, String runId,
                Backend backend, int attempt, FaultHook faults, boolean float32, boolean memory,
                ChunkReads reads, int bucketValues, boolean earlyForward) {
        this.driverAddress = driverAddress;
        this.token = token;
        this.run = run;
        this.net = net;
        this.plan = plan;
        this.runId = runId;
        this.backend = backend;
        this.attempt = attempt;
        this.faults = faults;
        this.float32 = float32;
        this.memory = memory;
        this.reads = reads;
        this.bucketValues = bucketValues;
        this.earlyForward = earlyForward;
    }

    /**
     * blocks: one element, {training rows} or {training rows, validation rows}; each is a {@link Block} or
     * (train.shuffle = chunks) a {@link ChunkRef}, whose chunks the worker reads as it goes.
     */
    @Override
    public Iterator<double[]> apply(Iterator<TrainRows[]> blocks) {
        TrainRows[] mine = blocks.next();
        TrainRows block = mine[0];
        Dataset data = block instanceof Block b ? b.asDataset(null) : null;
        TrainRows validation = mine.length > 1 ? mine[1] : null;
        // The task's own context, not BarrierTaskContext.get(): on Spark 3.5 that call initialises the companion
        // object, whose java.util.Timer (for barrier(), which sparkprop does not call) is a non-daemon thread nothing
        // cancels, so a local-mode driver JVM (spark-submit of a Python script) never exits (Spark 4 made it a daemon).
        BarrierTaskContext ctx = (BarrierTaskContext) TaskContext.get();
        int partition = ctx.partitionId();
        int partitions = ctx.getTaskInfos().length;
        int p = net.paramCount();
        PartialLayout layout = PartialLayout.of(net);
        PartitionWorker worker = PartitionWorker.get(runId, partition, net, plan, backend).countReadsIn(reads);
        double[] params = new double[p];
        // One buffer for all steps (a fresh θ-sized array per step costs GC time).
        double[] sums = layout.newArray();
        String host = hostOf(ctx.getTaskInfos()[partition].address());
        try {
            ServerSocketChannel server = TreeLinks.listen(host);
            Overlap hooks = null;
            TreeSums tree = null;
            try (TreeNode node = TreeLinks.connect(partition, partitions, driverAddress, server, token, run, attempt,
                    p, float32, memory);
                 // batch-norm's exchanges use the links mid-pass, on this thread: θ must be whole and relayed
                 // before the pass starts, and its sums go up after the pass. A parent in memory hands θ over
                 // whole: nothing to wait for.
                 Downward downward = earlyForward && layout.norms() == 0 && node.streamsTheta()
                         ? new Downward(node, params, p, partition) : null;
                 Upward upward = bucketValues > 0 && layout.norms() == 0
                         ? new Upward(node, new Buckets(p, sums.length, bucketValues), p, partition, downward)
                         : null) {
                hooks = upward == null && downward == null ? null : new Hooks(upward, downward);
                worker.overlap(hooks);
                tree = new TreeSums(node);
                worker.normSums(tree, null);
                // The job's first θ whole, on this thread: the last epoch's statistics may be due under it.
                int[] word = node.passDown(params);
                if (word[0] != Link.GO) {
                    throw new IllegalStateException("the driver turned attempt " + (attempt + 1) + " away");
                }
                int epoch = word[1];
                if ((word[2] & 1) != 0) {
                    sendMetrics(node, worker, validation, epoch - 1);
                }
                // Epoch after epoch, until the driver says stop (end of the run, or a non-finite loss).
                for (int step = 0; ; ) {
                    faults.maybeFail(epoch, step, partition, attempt);
                    tree.at(epoch, step);
                    if (upward != null) {
                        upward.begin(epoch, step, sums); // buckets go up as the backward pass finishes them
                    }
                    // float32: the kernel takes θ as the floats it came in.
                    if (float32) {
                        worker.lossAndGradient(block, data, node.thetaF(), epoch, step, sums);
                    } else {
                        worker.lossAndGradient(block, data, node.theta(), epoch, step, sums);
                    }
                    if (upward != null) {
                        upward.finish();
                    } else {
                        if (downward != null) {
                            downward.awaitDone(); // a step without rows asked for no θ
                        }
                        node.sumUp(Link.STEP, epoch, step, sums, sums.length);
                    }
                    int[] next;
                    if (downward != null) {
                        downward.request();
                        next = downward.word(); // θ still coming: the next pass waits layer by layer
                    } else {
                        next = node.passDown(params);
                    }
                    if (next[0] != Link.GO) {
                        break;
                    }
                    if (++step == plan.stepsPerEpoch()) {
                        if (validation != null) {
                            if (downward != null) {
                                downward.awaitDone(); // the statistics are of the whole θ, and use the links
                            }
                            sendMetrics(node, worker, validation, epoch);
                        }
                        step = 0;
                        epoch++;
                    }
                }
            } finally {
                // The worker outlives this job; a newer attempt's task may have set its own hook since.
                worker.overlapEnds(hooks);
                worker.normSumsEnd(tree);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("partition " + partition + " lost its link in the sum tree", e);
        }
        return SparkCompat.CURRENT.emptyIterator();
    }

    /**
     * The validation statistics under the last θ passed down (widened once per epoch under float32): of a block, or
     * chunk by chunk with the same bits (its reads not counted with the training chunks').
     */
    private void sendMetrics(TreeNode node, PartitionWorker worker, TrainRows validation, int epoch)
            throws IOException {
        double[] params = float32 ? worker.widen(node.thetaF()) : node.theta();
        double[] stats = worker.evaluate(validation, params, null);
        node.sumUp(Link.METRICS, epoch, -1, stats, stats.length);
    }

    /** The worker's hook: gradient slices to the sender, requests for θ to the receiver (either may be null). */
    private record Hooks(Upward upward, Downward downward) implements Overlap {
        @Override
        public void gradientReady(int from, int to) {
            if (upward != null) {
                upward.gradientReady(from, to);
            }
        }

        @Override
        public void paramsNeeded(int to) {
            if (downward != null) {
                try {
                    downward.awaitParams(to);
                } catch (IOException e) {
                    throw new UncheckedIOException("θ did not come down the sum tree", e);
                }
            }
        }
    }

    private static String hostOf(String address) {
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }
}
