// Test-only fault injection, the one hook both protocols consult: fail the first attempt of a chosen task.
package io.sparkprop.spark.exec;

import java.io.Serializable;

/**
 * {@code (epoch, step, partition)}: the task computing that partition's share of that step throws on its first
 * attempt (Spark's task attempt for the driver protocol, the driver's job attempt for the barrier protocol); the
 * retry then runs normally. {@link #NONE} never fails.
 */
public record FaultHook(int epoch, int step, int partition) implements Serializable {
    public static final FaultHook NONE = new FaultHook(-1, -1, -1);

    /** The hook for a test's {epoch, step, partition}, or {@link #NONE} for null. */
    public static FaultHook of(int[] at) {
        return at == null ? NONE : new FaultHook(at[0], at[1], at[2]);
    }

    public void maybeFail(int e, int s, int p, int attempt) {
        if (attempt == 0 && e == epoch && s == step && p == partition) {
            throw new IllegalStateException("injected failure of the first attempt (test hook)");
        }
    }
}
